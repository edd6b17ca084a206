package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.BerthProcess;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Upload sessions survive restarts and crashes; SIGTERM lets in-flight requests finish. */
class RestartIT {

    @Test
    void aHalfFinishedUploadCompletesAfterTheServerIsKilledAndRestarted() throws Exception {
        Path dataDir = Files.createTempDirectory("berth-restart-");
        TestBlob blob = TestBlob.random(3 * 1024 * 1024, 7);
        int half = blob.content().length / 2;
        try {
            String location;
            try (BerthProcess first = BerthProcess.start(dataDir, List.of())) {
                RegistryHttp http = first.http();
                location = http.post("/v2/restart/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
                HttpResponse<byte[]> chunk = http.patch(location, Arrays.copyOfRange(blob.content(), 0, half),
                        Map.of("Content-Range", "0-" + (half - 1)));
                assertThat(chunk.statusCode()).isEqualTo(202);
                first.kill();
            }
            try (BerthProcess second = BerthProcess.start(dataDir, List.of())) {
                RegistryHttp http = second.http();
                HttpResponse<byte[]> status = http.get(location);
                assertThat(status.statusCode()).isEqualTo(204);
                assertThat(status.headers().firstValue("Range")).hasValue("0-" + (half - 1));

                HttpResponse<byte[]> rest = http.patch(location, Arrays.copyOfRange(blob.content(), half, blob.content().length),
                        Map.of("Content-Range", half + "-" + (blob.content().length - 1)));
                assertThat(rest.statusCode()).isEqualTo(202);
                HttpResponse<byte[]> closed = http.put(location + "?digest=" + blob.digest(), "application/octet-stream", new byte[0]);
                assertThat(closed.statusCode()).as(RegistryHttp.text(closed)).isEqualTo(201);
                assertThat(http.get("/v2/restart/app/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
                assertThat(second.terminate()).isZero();
            }
        } finally {
            TestRegistry.deleteRecursively(dataDir);
        }
    }

    @Test
    void sigtermLetsAnInFlightUploadFinish() throws Exception {
        Path dataDir = Files.createTempDirectory("berth-sigterm-");
        TestBlob blob = TestBlob.random(4 * 1024 * 1024, 8);
        try {
            try (BerthProcess berth = BerthProcess.start(dataDir, List.of())) {
                RegistryHttp http = berth.http();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = http.request("/v2/sigterm/blobs/uploads/?digest=" + blob.digest())
                        .POST(HttpRequest.BodyPublishers.fromPublisher(slowly(blob.content()), blob.size()))
                        .build();
                CompletableFuture<HttpResponse<byte[]>> upload = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
                Thread.sleep(700);
                assertThat(upload).isNotDone();

                berth.process().destroy();

                HttpResponse<byte[]> response = upload.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
                assertThat(berth.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(berth.process().exitValue()).as(berth.output()).isZero();
            }
            try (BerthProcess again = BerthProcess.start(dataDir, List.of())) {
                assertThat(again.http().get("/v2/sigterm/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
            }
        } finally {
            TestRegistry.deleteRecursively(dataDir);
        }
    }

    /** Publishes {@code content} in 64 KiB pieces over about two seconds. */
    private static Flow.Publisher<java.nio.ByteBuffer> slowly(byte[] content) {
        return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private int position;
            private boolean done;

            @Override
            public synchronized void request(long n) {
                for (long i = 0; i < n && !done; i++) {
                    if (position >= content.length) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    int length = Math.min(64 * 1024, content.length - position);
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    int start = position;
                    // Advance first: onNext may call request() again on this thread.
                    position += length;
                    subscriber.onNext(java.nio.ByteBuffer.wrap(content, start, length));
                }
            }

            @Override
            public void cancel() {
                done = true;
            }
        });
    }
}
