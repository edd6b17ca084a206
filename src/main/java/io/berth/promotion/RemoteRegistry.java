package io.berth.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another registry, spoken to over the OCI Distribution API: what a promotion to it needs (blob
 * existence, cross-repository mounts, monolithic uploads, manifests by digest and tag). Answers
 * {@code 401} challenges with Basic credentials, or with a bearer token fetched from the realm of a
 * {@code Bearer} challenge (Docker token authentication), when credentials are given.
 */
public final class RemoteRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFESTS);

    private final URI base;
    private final HttpClient http;
    private final Optional<String> basic;
    /** Bearer tokens by the scope they were issued for. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /**
     * @param base        the registry's URL, e.g. {@code https://registry.example.org/}
     * @param credentials user name and password, when the registry wants them
     */
    public RemoteRegistry(URI base, Optional<Map.Entry<String, String>> credentials) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        // Redirects are not followed: a redirected request would carry the credentials elsewhere.
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.basic = credentials.map(pair -> "Basic " + Base64.getEncoder()
                .encodeToString((pair.getKey() + ":" + pair.getValue()).getBytes(StandardCharsets.UTF_8)));
    }

    /** How the audit trail names a repository there: {@code host:port/name}. */
    public String describe(RepositoryName repository) {
        return base.getAuthority() + "/" + repository.value();
    }

    /** Thrown when the other registry answers something a promotion cannot go on from. */
    public static final class RemoteFailure extends RuntimeException {
        public RemoteFailure(String message) {
            super(message);
        }
    }

    public boolean hasBlob(RepositoryName repository, Digest digest) {
        Answer response = send(repository, "pull", () -> request(blobPath(repository, digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        // A registry that keeps blobs in an object store may answer with a redirect to it: the blob is there.
        return response.statusCode() == 200 || response.statusCode() == 307 || response.statusCode() == 302;
    }

    /** The digest a tag or digest resolves to there, or empty when it does not exist. */
    public Optional<Digest> manifestDigest(RepositoryName repository, String reference) {
        Answer response = send(repository, "pull", () -> request("v2/" + repository + "/manifests/" + reference)
                .header("Accept", ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "HEAD manifest " + repository + ":" + reference);
        return response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
    }

    /** A manifest as the other registry holds it. */
    public record FetchedManifest(String mediaType, byte[] content) {
    }

    /** The manifest a tag or digest names there, or empty when it does not exist; at most {@code Limits.MAX_MANIFEST_BYTES}. */
    public Optional<FetchedManifest> manifest(RepositoryName repository, String reference) {
        Answer response = send(repository, "pull", () -> request("v2/" + repository + "/manifests/" + reference)
                .header("Accept", ACCEPT).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect(response, 200, "GET manifest " + repository + ":" + reference);
        if (response.body().length > Limits.MAX_MANIFEST_BYTES) {
            throw new RemoteFailure("the manifest " + repository + ":" + reference + " is over " + Limits.MAX_MANIFEST_BYTES + " bytes");
        }
        return Optional.of(new FetchedManifest(response.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST),
                response.body()));
    }

    /**
     * Puts a blob there: mounted from {@code from} when that repository has it, else uploaded in one
     * request from {@code content}, whose bytes are hashed on the way and must match {@code digest}.
     *
     * @return true when it was mounted, false when uploaded
     */
    public boolean putBlob(RepositoryName repository, Digest digest, long size, RepositoryName from,
                           Supplier<InputStream> content) {
        Answer started = send(repository, "pull,push", () -> request("v2/" + repository
                + "/blobs/uploads/?mount=" + encode(digest.toString()) + "&from=" + encode(from.value()))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (started.statusCode() == 201) {
            return true;
        }
        expect(started, 202, "start an upload to " + repository);
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new RemoteFailure("upload to " + repository + " answered no Location"));
        URI upload = base.resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        URI complete = URI.create(upload + separator + "digest=" + encode(digest.toString()));
        VerifyingStream verified = new VerifyingStream(content.get(), digest);
        Answer done = send(repository, "pull,push", () -> HttpRequest.newBuilder(complete)
                .timeout(Duration.ofMinutes(30)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> verified), size)));
        expect(done, 201, "upload " + digest + " to " + repository);
        verified.requireVerified();
        return false;
    }

    /** Puts a manifest there under {@code reference} (its digest or a tag); the answer must name {@code digest}. */
    public void putManifest(RepositoryName repository, String reference, String mediaType, byte[] content, Digest digest) {
        Answer response = send(repository, "pull,push", () -> request("v2/" + repository + "/manifests/" + reference)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        expect(response, 201, "put manifest " + repository + ":" + reference);
        Optional<String> answered = response.headers().firstValue("Docker-Content-Digest");
        if (answered.isPresent() && !answered.get().equals(digest.toString())) {
            throw new RemoteFailure(repository + ":" + reference + " was stored as " + answered.get() + ", not " + digest);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
    }

    private static String blobPath(RepositoryName repository, Digest digest) {
        return "v2/" + repository + "/blobs/" + digest;
    }

    /**
     * Sends, answering one {@code 401} challenge: Basic credentials, or a token for
     * {@code repository:NAME:actions} from the challenge's realm.
     */
    private Answer send(RepositoryName repository, String actions, Supplier<HttpRequest.Builder> build) {
        String scope = "repository:" + repository + ":" + actions;
        HttpRequest.Builder first = build.get();
        if (!sameOrigin(first.copy().build().uri())) {
            // An upload Location on another host or scheme gets the bytes, never the credentials.
            return exchange(first.build());
        }
        authorization(scope).ifPresent(value -> first.header("Authorization", value));
        Answer response = exchange(first.build());
        if (response.statusCode() != 401) {
            return response;
        }
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            tokens.put(scope, "Bearer " + fetchToken(challenge, scope));
        } else if (basic.isEmpty()) {
            return response;
        }
        HttpRequest.Builder again = build.get();
        authorization(scope).or(() -> basic).ifPresent(value -> again.header("Authorization", value));
        return exchange(again.build());
    }

    private Optional<String> authorization(String scope) {
        return Optional.ofNullable(tokens.get(scope)).or(() -> basic);
    }

    private String fetchToken(String challenge, String scope) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        String realm = Optional.ofNullable(parameters.get("realm"))
                .orElseThrow(() -> new RemoteFailure("a Bearer challenge without a realm: " + challenge));
        if (base.getScheme().equalsIgnoreCase("https") && !realm.regionMatches(true, 0, "https:", 0, 6)) {
            throw new RemoteFailure("the token realm " + realm + " is not https; credentials are not sent there");
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?").append("scope=").append(encode(scope));
        Optional.ofNullable(parameters.get("service")).ifPresent(service -> url.append("&service=").append(encode(service)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofMinutes(1)).GET();
        basic.ifPresent(value -> request.header("Authorization", value));
        Answer response = exchange(request.build());
        expect(response, 200, "get a token from " + realm);
        try {
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("token").asText(body.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RemoteFailure("the token endpoint " + realm + " answered no token");
            }
            return token;
        } catch (IOException e) {
            throw new RemoteFailure("the token endpoint " + realm + " answered no JSON");
        }
    }

    private boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getRawAuthority().equalsIgnoreCase(uri.getRawAuthority());
    }

    /**
     * An answer of the other registry, its body read up to {@link Limits#MAX_MANIFEST_BYTES} plus
     * one byte: no answer (a manifest, a token, an error page) makes this process hold more, and a
     * manifest that long is refused as too large.
     */
    record Answer(HttpRequest request, int statusCode, HttpHeaders headers, byte[] body) {
    }

    private Answer exchange(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return new Answer(request, response.statusCode(), response.headers(), body.readNBytes(Limits.MAX_MANIFEST_BYTES + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure("interrupted");
        }
    }

    private static void expect(Answer response, int status, String what) {
        if (response.statusCode() != status) {
            String body = new String(response.body(), 0, Math.min(response.body().length, 1024), StandardCharsets.UTF_8);
            throw new RemoteFailure(what + ": " + response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + (body.isBlank() ? "" : ": " + body.strip()));
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The source's bytes, hashed on the way out; the upload counts only if they match the digest. */
    private static final class VerifyingStream extends java.io.FilterInputStream {
        private final java.security.MessageDigest hash;
        private final Digest expected;
        private boolean ended;

        VerifyingStream(InputStream in, Digest expected) {
            super(in);
            this.expected = expected;
            this.hash = expected.algorithm().newMessageDigest();
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value < 0) {
                ended = true;
            } else {
                hash.update((byte) value);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read < 0) {
                ended = true;
            } else {
                hash.update(buffer, offset, read);
            }
            return read;
        }

        void requireVerified() {
            Digest actual = Digest.fromHash(expected.algorithm(), hash.digest());
            if (!actual.equals(expected)) {
                throw new RemoteFailure("the source blob " + expected + " read as " + actual + (ended ? "" : " (incomplete)"));
            }
        }
    }
}
