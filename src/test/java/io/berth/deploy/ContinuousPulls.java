package io.berth.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients pulling one image through a registry address, each starting a pull 20 ms after the last
 * one ended, on threads of their own, until {@link #close()}: each pull is the manifest by tag, then
 * one blob, as a client with a warm cache pulls. A pull counts as failed unless both answers are {@code 200} with the bytes the
 * digests name; every failure is kept with its time and reason. One anonymous pull token, taken at
 * the start, serves every request, whichever node answers it.
 */
final class ContinuousPulls implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Continuous, yet leaving the two cores of a CI machine to the nodes being restarted. */
    private static final Duration PAUSE = Duration.ofMillis(20);

    private final URI registry;
    private final String repository;
    private final String tag;
    private final Digest manifest;
    private final Digest blob;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong succeeded = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    private ContinuousPulls(URI registry, String repository, String tag, Digest manifest, Digest blob, String token) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.manifest = manifest;
        this.blob = blob;
        this.token = token;
    }

    /** Starts {@code clients} threads pulling {@code repository:tag} through {@code registry}. */
    static ContinuousPulls start(URI registry, String repository, String tag, Digest manifest, Digest blob, int clients)
            throws IOException, InterruptedException {
        ContinuousPulls pulls = new ContinuousPulls(registry, repository, tag, manifest, blob, anonymousToken(registry, repository));
        for (int i = 0; i < clients; i++) {
            Thread thread = Thread.ofPlatform().name("continuous-pull-" + i).daemon().start(pulls::pullUntilClosed);
            pulls.threads.add(thread);
        }
        return pulls;
    }

    /** An anonymous token for pulling {@code repository}, from the token endpoint of {@code registry}. */
    static String anonymousToken(URI registry, String repository) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(registry.resolve(
                "/auth/token?service=berth&scope=repository:" + repository + ":pull")).timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("no token from " + registry + ": " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).get("token").asText();
    }

    long succeeded() {
        return succeeded.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void pullUntilClosed() {
        while (running.get()) {
            try {
                String problem = fetch("/v2/" + repository + "/manifests/" + tag, manifest);
                if (problem == null) {
                    problem = fetch("/v2/" + repository + "/blobs/" + blob, blob);
                }
                if (problem == null) {
                    succeeded.incrementAndGet();
                } else {
                    failures.add(Instant.now() + " " + problem);
                }
                Thread.sleep(PAUSE);
            } catch (IOException e) {
                failures.add(Instant.now() + " " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Null when {@code path} answers 200 with the bytes of {@code expected}; else what went wrong. */
    private String fetch(String path, Digest expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(registry.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            return "GET " + path + ": " + answer.statusCode() + " " + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Digest received = Digest.of(DigestAlgorithm.SHA256, answer.body());
        return received.equals(expected) ? null : "GET " + path + ": body is " + received + ", not " + expected;
    }

    /** Stops every client after the pull it is in and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(40));
        }
        http.close();
    }
}
