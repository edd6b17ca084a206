package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.RequestsConfig;
import io.berth.testing.Htpasswd;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits on request bodies, over raw sockets: no body is read before the request is
 * authorized, a body waits for room in the heap budget and is then refused with 503, a body that
 * trickles in or stalls is cut off, and the token form is small.
 */
class RequestLimitsApiTest {
    /** Room for one token form or one small manifest at a time. */
    private static final long BUDGET_BYTES = RequestsConfig.MINIMUM_BODY_BUFFER_BYTES;
    private static final int WAIT_MILLISECONDS = 300;
    private static final int IDLE_TIMEOUT_SECONDS = 2;
    private static final int MINIMUM_BYTES_PER_SECOND = 2000;
    private static final int GRACE_SECONDS = 1;
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private static Path htpasswdDirectory;
    private static TestRegistry registry;
    private static RegistryHttp admin;

    @BeforeAll
    static void start() throws IOException {
        htpasswdDirectory = Files.createTempDirectory("berth-limits-");
        Path htpasswd = Htpasswd.write(htpasswdDirectory.resolve("users.htpasswd"), Map.of(
                "admin", LockedDownRegistry.ADMIN_PASSWORD, LockedDownRegistry.TOKEN_GUESSER, "intern-password"));
        registry = TestRegistry.start(config -> config.withAuth(LockedDownRegistry.authConfig(htpasswd))
                .withRequests(new RequestsConfig(IDLE_TIMEOUT_SECONDS, MINIMUM_BYTES_PER_SECOND, GRACE_SECONDS,
                        BUDGET_BYTES, WAIT_MILLISECONDS)));
        admin = registry.http().withHeader("Authorization", basic("admin", LockedDownRegistry.ADMIN_PASSWORD));
    }

    @AfterAll
    static void stop() {
        registry.close();
        TestRegistry.deleteRecursively(htpasswdDirectory);
    }

    /** Not JSON: a server that read the body before authorizing would answer 400 for it. */
    private static final String UNREAD_BODY = "x".repeat(5000);

    @Test
    void anAnonymousPromotionIsRefusedWithoutItsBodyBeingParsed() {
        HttpResponse<byte[]> response = registry.http().send(registry.http().request("/berth/v1/promotions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(UNREAD_BODY)).build());

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(401);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer realm="));
    }

    @Test
    void aPromotionByACallerWhoMayPromoteNowhereIsRefusedWithoutItsBodyBeingParsed() {
        HttpResponse<byte[]> response = registry.http().send(registry.http().request("/berth/v1/promotions")
                .header("Authorization", basic(LockedDownRegistry.TOKEN_GUESSER, "intern-password"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(UNREAD_BODY)).build());

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(403);
        assertThat(RegistryHttp.errorCode(response)).isEqualTo("DENIED");
    }

    @Test
    void aPromotionByACallerWhoMayPromoteSomewhereHasItsBodyRead() {
        HttpResponse<byte[]> response = admin.send(admin.request("/berth/v1/promotions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(UNREAD_BODY)).build());

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(400);
    }

    @Test
    void aPromotionBodyOverTheLimitIsRefused() {
        String body = "{\"source\": \"candidate/app:1.0\", \"targets\": [" + "\"app:1.0\", ".repeat(7000) + "\"app:1.0\"]}";
        HttpResponse<byte[]> response = admin.send(admin.request("/berth/v1/promotions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertThat(body.length()).isGreaterThan(io.berth.oci.Limits.MAX_API_REQUEST_BYTES);
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(400);
        assertThat(RegistryHttp.text(response)).contains("limited to " + io.berth.oci.Limits.MAX_API_REQUEST_BYTES + " bytes");
    }

    @Test
    void anAnonymousManifestPushIsRefusedWithoutItsBodyBeingParsed() {
        HttpResponse<byte[]> response = registry.http().put("/v2/library/app/manifests/2.0", MANIFEST_TYPE,
                UNREAD_BODY.getBytes(StandardCharsets.US_ASCII));

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(401);
    }

    @Test
    void aBodyBeyondTheBudgetWaitsBrieflyThenGets503WithRetryAfter() throws Exception {
        try (Socket holder = connect()) {
            // A manifest of 60,000 bytes takes nearly all of the 64 KiB budget while it trickles in.
            send(holder, head("PUT", "/v2/library/app/manifests/held", "Content-Type: " + MANIFEST_TYPE,
                    "Content-Length: 60000", "Authorization: " + basic("admin", LockedDownRegistry.ADMIN_PASSWORD)) + "{");
            Thread.sleep(300);

            long before = System.nanoTime();
            HttpResponse<byte[]> refused = admin.send(admin.request("/v2/library/app/manifests/other")
                    .header("Content-Type", MANIFEST_TYPE).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10_000])).build());
            Duration waited = Duration.ofNanos(System.nanoTime() - before);

            assertThat(refused.statusCode()).as(RegistryHttp.text(refused)).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(RegistryHttp.errorCode(refused)).isEqualTo("UNAVAILABLE");
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(WAIT_MILLISECONDS));
        }
        HttpResponse<byte[]> afterwards = admin.send(admin.request("/v2/library/app/manifests/other")
                .header("Content-Type", MANIFEST_TYPE).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10_000])).build());
        assertThat(afterwards.statusCode()).as("room again once the holder is gone: %s", RegistryHttp.text(afterwards))
                .isNotEqualTo(503);
    }

    @Test
    void aBodyTricklingInBelowTheMinimumRateIsCutOffAfterTheGracePeriod() throws Exception {
        String location = admin.post("/v2/library/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        try (Socket socket = connect()) {
            socket.setSoTimeout(200);
            send(socket, head("PATCH", location, "Content-Type: application/octet-stream", "Content-Length: 100000",
                    "Authorization: " + basic("admin", LockedDownRegistry.ADMIN_PASSWORD)));
            long started = System.nanoTime();
            StringBuilder answer = new StringBuilder();
            // 100 bytes every 100 ms (1,000 bytes per second) never leaves the connection idle.
            while (answer.isEmpty() && System.nanoTime() - started < Duration.ofSeconds(10).toNanos()) {
                try {
                    socket.getOutputStream().write(new byte[100]);
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(100);
                readSome(socket, answer);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (answer.isEmpty()) {
                answer.append(readAnswer(socket, Duration.ofSeconds(2)));
            }

            assertThat(answer.toString()).startsWith("HTTP/1.1 408 ");
            assertThat(took).isLessThan(Duration.ofSeconds(GRACE_SECONDS + 3));
        }
        assertThat(admin.get(location).headers().firstValue("Range")).as("the cut-off chunk was rolled back")
                .hasValue("0-0");
    }

    @Test
    void aBodyThatStallsIsCutOffAfterTheIdleTimeout() throws Exception {
        String location = admin.post("/v2/library/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
        try (Socket socket = connect()) {
            send(socket, head("PATCH", location, "Content-Type: application/octet-stream", "Content-Length: 100000",
                    "Authorization: " + basic("admin", LockedDownRegistry.ADMIN_PASSWORD)) + "x".repeat(3000));
            long started = System.nanoTime();

            readAnswer(socket, Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 3));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS + 3));
        }
    }

    @Test
    void aTokenFormLargerThanTheLimitIsRefused() {
        String form = "grant_type=password&service=berth&username=admin&password=" + LockedDownRegistry.ADMIN_PASSWORD
                + "&scope=" + "repository:library/app:pull+".repeat(400);
        HttpResponse<byte[]> response = registry.http().send(registry.http().request("/auth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());

        assertThat(form.length()).isGreaterThan(io.berth.oci.Limits.MAX_TOKEN_FORM_BYTES);
        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(413);
    }

    @Test
    void aTokenFormWithinTheLimitIsServed() {
        String form = "grant_type=password&service=berth&username=admin&password=" + LockedDownRegistry.ADMIN_PASSWORD
                + "&scope=repository:library/app:pull";
        HttpResponse<byte[]> response = registry.http().send(registry.http().request("/auth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        return new Socket(registry.uri().getHost(), registry.uri().getPort());
    }

    private static String head(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: berth\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** What the server sends until it closes the connection or {@code within} passes (then fails). */
    private static String readAnswer(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        StringBuilder answer = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                if (answer.indexOf("\r\n\r\n") >= 0 && answer.toString().contains("\"errors\"")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + within + "; received so far: " + answer, e);
        } catch (IOException e) {
            // A reset after the answer: what was read is the answer.
        }
        return answer.toString();
    }

    private static void readSome(Socket socket, StringBuilder answer) {
        byte[] buffer = new byte[4096];
        try {
            int read = socket.getInputStream().read(buffer);
            if (read > 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            // Nothing yet.
        } catch (IOException e) {
            answer.append("(connection closed)");
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
