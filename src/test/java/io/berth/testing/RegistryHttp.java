package io.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A thin HTTP client for tests: raw requests against a registry over a real socket, plus the
 * few composite steps (push a blob, push a manifest) that many tests need.
 */
public final class RegistryHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final HttpClient client;
    private final java.util.Map<String, String> headers;

    /** An HTTP/1.1 client that follows no redirects. */
    public RegistryHttp(URI base) {
        this(base, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** Sends through {@code client}, e.g. one that trusts a test certificate authority or prefers HTTP/2. */
    public RegistryHttp(URI base, HttpClient client) {
        this(base, client, java.util.Map.of());
    }

    private RegistryHttp(URI base, HttpClient client, java.util.Map<String, String> headers) {
        this.base = base;
        this.client = client;
        this.headers = headers;
    }

    /** The same client, sending {@code name: value} with every request, as a proxy in front of it would. */
    public RegistryHttp withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new RegistryHttp(base, client, java.util.Map.copyOf(more));
    }

    /** Resolves a path ({@code /v2/...}) or an absolute URL against the registry. */
    public URI url(String pathOrUrl) {
        return base.resolve(pathOrUrl);
    }

    public HttpRequest.Builder request(String pathOrUrl) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url(pathOrUrl)).timeout(Duration.ofMinutes(5));
        headers.forEach(builder::header);
        return builder;
    }

    public HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<byte[]> head(String path) {
        return send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE().build());
    }

    public HttpResponse<byte[]> post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<byte[]> post(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<byte[]> put(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<byte[]> patch(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder builder = request(path).method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/octet-stream");
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** Pushes a blob with one POST ({@code ?digest=}); returns its digest. */
    public Digest pushBlob(String repository, byte[] content) {
        Digest digest = Digest.of(DigestAlgorithm.SHA256, content);
        HttpResponse<byte[]> response = post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, content);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("blob push answered " + response.statusCode() + ": " + text(response));
        }
        return digest;
    }

    /** Pushes a manifest under {@code reference}; returns its digest. */
    public Digest pushManifest(String repository, String reference, String mediaType, byte[] content) {
        HttpResponse<byte[]> response = put("/v2/" + repository + "/manifests/" + reference, mediaType, content);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("manifest push answered " + response.statusCode() + ": " + text(response));
        }
        return Digest.parse(response.headers().firstValue("Docker-Content-Digest").orElseThrow());
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first error code of an OCI error body. */
    public static String errorCode(HttpResponse<byte[]> response) {
        return json(response).path("errors").path(0).path("code").asText();
    }

    /**
     * Pushes a small single-layer OCI image (its layer's bytes picked by {@code seed}) to {@code
     * repository:tag}; the manifest blob, whose digest is the image's.
     */
    public TestBlob pushSmallImage(String repository, String tag, long seed) {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        TestBlob layer = TestBlob.random(1_000, seed);
        pushBlob(repository, config.content());
        pushBlob(repository, layer.content());
        TestBlob image = ManifestJson.ociImage(config, layer).build();
        pushManifest(repository, tag, io.berth.oci.MediaTypes.OCI_MANIFEST, image.content());
        return image;
    }

    /** {@code POST /berth/v1/promotions} of {@code source} to {@code targets}. */
    public HttpResponse<byte[]> promote(String source, String... targets) {
        String body = "{\"source\": \"" + source + "\", \"targets\": [" + String.join(", ",
                java.util.Arrays.stream(targets).map(target -> "\"" + target + "\"").toList()) + "]}";
        return send(request("/berth/v1/promotions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, java.nio.charset.StandardCharsets.UTF_8)).build());
    }

    /** The verdict of the gate named {@code gate} in a promotion answer: {@code passed: reason} or {@code refused: reason}. */
    public static String verdict(HttpResponse<byte[]> promotion, String gate) {
        for (JsonNode verdict : json(promotion).path("gates")) {
            if (verdict.path("gate").asText().equals(gate)) {
                return (verdict.path("passed").asBoolean() ? "passed: " : "refused: ") + verdict.path("reason").asText();
            }
        }
        throw new AssertionError("no verdict of " + gate + " in " + text(promotion));
    }
}
