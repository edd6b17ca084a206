package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the command line reads of a registry's answer: at most {@link RegistryApi#MAX_ANSWER_BYTES},
 * whole within the time limit, whatever the other end sends or fails to send.
 */
class RegistryApiTest {
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService handlers;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(handlers);
        server.createContext("/oversized", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('[');
                for (long sent = 0; sent <= RegistryApi.MAX_ANSWER_BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
                out.write(']');
            } catch (IOException cutOff) {
                // The client stopped reading: what this test expects.
            }
        });
        server.createContext("/stalled", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"entries\": [".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            await(released);
            exchange.close();
        });
        server.createContext("/small", exchange -> {
            byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private RegistryApi api(Duration timeout) {
        return new RegistryApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Optional.empty(), timeout);
    }

    @Test
    void anAnswerLargerThanTheLimitIsAFailureAndIsNotReadToItsEnd() {
        assertThatThrownBy(() -> api(Duration.ofSeconds(30)).get("/oversized", Map.of()))
                .isInstanceOf(RegistryApi.Failure.class)
                .hasMessageContaining("larger than " + RegistryApi.MAX_ANSWER_BYTES + " bytes");
    }

    @Test
    void anAnswerThatStallsAfterItsHeadersFailsAtTheTimeLimit() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> api(Duration.ofSeconds(1)).get("/stalled", Map.of()))
                .isInstanceOf(RegistryApi.Failure.class)
                .hasMessageContaining("did not answer /stalled within 1 s");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stalledAndOversizedAnswersAtOnceLeaveASmallOneAnsweredAndFailThemselves() throws Exception {
        RegistryApi api = api(Duration.ofSeconds(2));
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> bad = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String path = i % 2 == 0 ? "/stalled" : "/oversized";
                bad.add(callers.submit(() -> {
                    try {
                        api.get(path, Map.of());
                        return "answered";
                    } catch (RegistryApi.Failure failure) {
                        return failure.getMessage();
                    }
                }));
            }
            assertThat(api.get("/small", Map.of()).path("ok").asBoolean()).isTrue();
            for (Future<String> call : bad) {
                assertThat(call.get(30, TimeUnit.SECONDS)).containsAnyOf("did not answer", "larger than");
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
