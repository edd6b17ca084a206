package io.berth.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The requests the OCI conformance suite repeats in every workflow, sent the way it sends them, and
 * the status sets it accepts. Requests carry no body unless the suite sends one; a bodiless POST,
 * PUT or PATCH goes out with {@code Content-Length: 0}.
 */
final class SuiteRequests {
    private SuiteRequests() {
    }

    /** {@code POST /v2/<name>/blobs/uploads/} without a body. */
    static HttpResponse<byte[]> startUpload(RegistryHttp http, String repository) {
        return http.post("/v2/" + repository + "/blobs/uploads/");
    }

    /**
     * The suite's usual blob push: an empty POST, then a PUT of the whole blob to the returned
     * location with {@code ?digest=}, {@code Content-Type: application/octet-stream} and the blob's
     * length.
     */
    static HttpResponse<byte[]> pushBlob(RegistryHttp http, String repository, TestBlob blob) {
        HttpResponse<byte[]> started = startUpload(http, repository);
        return putBlob(http, relativeLocation(started), blob.digest(), blob.content());
    }

    static HttpResponse<byte[]> putBlob(RegistryHttp http, String location, Digest digest, byte[] body) {
        return http.put(withDigest(location, digest), MediaTypes.OCTET_STREAM, body);
    }

    /** A chunk: PATCH with {@code Content-Type}, {@code Content-Range} and the chunk's length. */
    static HttpResponse<byte[]> patchChunk(RegistryHttp http, String location, byte[] chunk, String contentRange) {
        return http.send(http.request(location)
                .header("Content-Type", MediaTypes.OCTET_STREAM)
                .header("Content-Range", contentRange)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk))
                .build());
    }

    static HttpResponse<byte[]> putManifest(RegistryHttp http, String repository, String reference, String mediaType,
                                            TestBlob manifest) {
        return http.put("/v2/" + repository + "/manifests/" + reference, mediaType, manifest.content());
    }

    /** GET or HEAD of a manifest with {@code Accept} set to the OCI image manifest type, as the suite pulls. */
    static HttpResponse<byte[]> pullManifest(RegistryHttp http, String method, String repository, String reference) {
        return http.send(http.request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.OCI_MANIFEST)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** {@code /v2/<name>/blobs/<digest>} of {@code blob}. */
    static String blobPath(String repository, TestBlob blob) {
        return "/v2/" + repository + "/blobs/" + blob.digest();
    }

    /** The {@code Location} header as a path and query, whether the registry sent it absolute or not. */
    static String relativeLocation(HttpResponse<byte[]> response) {
        String location = response.headers().firstValue("Location").orElse("");
        URI uri = URI.create(location);
        if (!uri.isAbsolute()) {
            return location;
        }
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** {@code location} with a {@code digest} query parameter added, percent-encoded as Go clients send it. */
    static String withDigest(String location, Digest digest) {
        String separator = location.contains("?") ? "&" : "?";
        return location + separator + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8);
    }

    static void assertSuccessful(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(describe(response)).isBetween(200, 299);
    }

    /** Teardown of a manifest: any 2xx, or 405 where deletion is disabled. */
    static void assertManifestDeletedOrRefused(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(describe(response))
                .satisfiesAnyOf(status -> assertThat(status).isBetween(200, 299), status -> assertThat(status).isEqualTo(405));
    }

    /** Teardown of a blob: any 2xx, 404 where it is already gone, or 405 where deletion is disabled. */
    static void assertBlobDeletedOrRefused(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(describe(response))
                .satisfiesAnyOf(status -> assertThat(status).isBetween(200, 299), status -> assertThat(status).isIn(404, 405));
    }

    /** Method, URL, status and body, for assertion messages. */
    static String describe(HttpResponse<byte[]> response) {
        return response.request().method() + " " + response.request().uri() + " answered " + response.statusCode()
                + ": " + RegistryHttp.text(response);
    }
}
