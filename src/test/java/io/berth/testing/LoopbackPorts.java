package io.berth.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * Ports on the loopback interface for servers that tests run as separate processes (Berth,
 * HAProxy, a static file server, CNCF Distribution), which are told their port on the command line
 * or in a configuration file.
 */
public final class LoopbackPorts {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(20);

    private LoopbackPorts() {
    }

    /**
     * A port that nothing listens on at the moment of the call. The probe socket is closed before
     * this returns, so another process could still take the port first.
     */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits up to 20 seconds until something accepts connections on {@code 127.0.0.1:port}.
     *
     * @param server names the server in the failure, e.g. {@code "haproxy"}
     * @throws IllegalStateException when nothing listens in time
     */
    public static void awaitListening(int port, String server) throws InterruptedException {
        long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(server + " did not listen on " + port);
    }
}
