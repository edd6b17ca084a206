package io.berth.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth health}: asks a running node's {@code /berth/v1/health} and exits 0 when it can
 * serve, 1 when not. Container health checks and scripts call it where no curl is at hand (the
 * container image has none).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Ask a running Berth whether it can serve (GET /berth/v1/health): exit 0 when it answers 200, else 1."})
final class HealthCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:BERTH_HEALTH_URL:-http://127.0.0.1:5000}",
            description = "The node's base URL (default: $BERTH_HEALTH_URL, else ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--timeout-seconds", defaultValue = "5", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (!PromoteCommand.isRegistryUrl(url)) {
            throw new IllegalArgumentException("--url must be an http:// or https:// URL, not " + url);
        }
        String base = url.toString().endsWith("/") ? url.toString().substring(0, url.toString().length() - 1) : url.toString();
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/berth/v1/health"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            String body = answer.body().length() > 512 ? answer.body().substring(0, 512) : answer.body();
            System.out.println(answer.statusCode() + " " + body.strip());
            return answer.statusCode() == 200 ? ExitCodes.OK : ExitCodes.FAILED;
        } catch (IOException e) {
            System.err.println("berth: " + base + " does not answer: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
