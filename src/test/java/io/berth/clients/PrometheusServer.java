package io.berth.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testing.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on a free loopback port, with a temporary
 * configuration that scrapes one target every second and a temporary storage directory; queried
 * through its HTTP API ({@code /api/v1/query}). A missing binary fails the test, naming the package.
 */
final class PrometheusServer implements AutoCloseable {
    private static final String INSTALL_HINT = "install it with: apt-get install -y prometheus";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final Path log;
    private final HttpClient client = HttpClient.newHttpClient();

    private PrometheusServer(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts Prometheus scraping {@code http://target/metrics} as job {@code berth} every second,
     * evaluating {@code ruleFile}, and waits until it is ready.
     */
    static PrometheusServer start(Path directory, String target, Path ruleFile) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("prometheus is required by this integration test but " + binary
                    + " is missing; " + INSTALL_HINT);
        }
        Files.createDirectories(directory);
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: berth
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['%s']
                """.formatted(ruleFile.toAbsolutePath(), target));
        int port = LoopbackPorts.free();
        Path log = directory.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        try {
            server.awaitReady();
        } catch (RuntimeException | AssertionError | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (client.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus was not ready within 60 s:\n" + log());
    }

    /** The value of an instant PromQL query with one result; empty when it has none. */
    Optional<Double> query(String promql) throws IOException, InterruptedException {
        JsonNode data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode result = data.path("result");
        if (result.isEmpty()) {
            return Optional.empty();
        }
        if (result.size() > 1) {
            throw new AssertionError("expected one series for " + promql + ", got " + result);
        }
        return Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** Polls {@code promql} until it returns {@code expected}, or fails after {@code timeout} with the last value. */
    void awaitValue(String promql, double expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Double> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = query(promql);
            if (last.isPresent() && last.get() == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + " returned " + last + ", expected " + expected + " within " + timeout
                + "\nprometheus log:\n" + log());
    }

    /** The names of the alerting rules Prometheus loaded. */
    List<String> alertingRules() throws IOException, InterruptedException {
        JsonNode groups = api("/api/v1/rules?type=alert").path("groups");
        java.util.List<String> names = new java.util.ArrayList<>();
        groups.forEach(group -> group.path("rules").forEach(rule -> names.add(rule.path("name").asText())));
        return names;
    }

    private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
            throw new AssertionError("prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": "
                    + response.body());
        }
        return body.path("data");
    }

    private String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Prometheus: SIGTERM, then SIGKILL after ten seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
