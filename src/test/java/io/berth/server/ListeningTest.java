package io.berth.server;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.testing.TestRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** An address the server cannot have is one line naming it and why, with its own problem kind (exit status 6). */
class ListeningTest {
    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatExceptionOfType(IllegalStateException.class)
                    .isThrownBy(() -> TestRegistry.start(config -> config.withListen("127.0.0.1:" + taken.getLocalPort())))
                    .havingCause()
                    .isInstanceOf(StartupException.class)
                    .matches(cause -> ((StartupException) cause).problem() == StartupException.Problem.PORT_UNAVAILABLE)
                    .withMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the port is in use by another process");
        }
    }

    @Test
    void anAddressThatIsNotThisHosts() {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host.
        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> TestRegistry.start(config -> config.withListen("192.0.2.1:5000").withInsecureOpenRegistry(true)))
                .havingCause()
                .isInstanceOf(StartupException.class)
                .withMessage("cannot listen on 192.0.2.1:5000: the address is not one of this host's");
    }
}
