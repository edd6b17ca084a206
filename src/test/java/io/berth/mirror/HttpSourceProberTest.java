package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe's contract over a real socket: any answer below 500 to {@code HEAD berth-sync/generation}
 * is reachable; a server error, a refused connection or no answer within the timeout is not, and
 * the timeout holds even when the probe hangs before it has a socket (a name lookup that never ends).
 */
class HttpSourceProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpSourceProber prober = new HttpSourceProber(TIMEOUT);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = switch (path) {
                case "/fresh/berth-sync/generation" -> 200;
                case "/empty/berth-sync/generation" -> 404;
                case "/failing/berth-sync/generation" -> 503;
                default -> 500;
            };
            if (path.startsWith("/silent/")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        prober.close();
        server.stop(0);
    }

    @Test
    void aSourceThatAnswersIsReachableEvenWithoutTheFile() {
        assertThatCode(() -> prober.check(base("fresh"))).doesNotThrowAnyException();
        assertThatCode(() -> prober.check(base("empty"))).as("what it holds is the crawler's business")
                .doesNotThrowAnyException();
    }

    @Test
    void aServerErrorIsAFailure() {
        assertThatExceptionOfType(SourceProber.SourceUnreachable.class).isThrownBy(() -> prober.check(base("failing")))
                .withMessageContaining("answered 503");
    }

    @Test
    void noAnswerWithinTheTimeoutIsAFailure() {
        assertThatExceptionOfType(SourceProber.SourceUnreachable.class).isThrownBy(() -> prober.check(base("silent")))
                .withMessageContaining("no answer within 500 ms");
    }

    @Test
    void aRefusedConnectionIsAFailure() {
        URI stopped = base("fresh");
        server.stop(0);

        assertThatExceptionOfType(SourceProber.SourceUnreachable.class).isThrownBy(() -> prober.check(stopped))
                .withMessageContaining("berth-sync/generation failed");
    }

    @Test
    void aProbeThatHangsBeforeConnectingMissesItsDeadlineToo() throws Exception {
        CountDownLatch hung = new CountDownLatch(1);
        // A host name whose lookup never returns: the exchange blocks before any socket exists.
        try (HttpSourceProber resolving = new HttpSourceProber(TIMEOUT, request -> {
            hung.await();
            return 200;
        })) {
            long start = System.nanoTime();
            assertThatExceptionOfType(SourceProber.SourceUnreachable.class)
                    .isThrownBy(() -> resolving.check(URI.create("http://mirror.example.org/")))
                    .withMessageContaining("no answer within 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
        } finally {
            hung.countDown();
        }
    }

    private URI base(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
    }
}
