package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors the HTTP server itself produces, before any registry handler runs, carry the registry's
 * JSON error body like every other error, for every method, and echo nothing of the request.
 */
class ServerErrorBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unparsable request line           | 400 | GARBAGE\\r\\n\\r\\n
            no Host                           | 400 | GET /v2/ HTTP/1.1\\r\\n\\r\\n
            malformed Host                    | 400 | GET /v2/ HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n
            two Host headers                  | 400 | GET /v2/ HTTP/1.1\\r\\nHost: x\\r\\nHost: y\\r\\n\\r\\n
            ambiguous encoded separator       | 400 | GET /v2/a%2F..%2Fsecret/tags/list HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            bad percent-encoding              | 400 | GET /v2/%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            PATCH with a bad Content-Length   | 400 | PATCH /v2/x/blobs/uploads/abc HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1x\\r\\n\\r\\n
            PUT with both framings            | 400 | PUT /v2/x/manifests/t HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n
            URI over the limit                | 414 | GET /v2/{long}/tags/list HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n
            headers over the limit            | 431 | GET /v2/ HTTP/1.1\\r\\nHost: x\\r\\nX-Big: {long}\\r\\n\\r\\n
            unknown HTTP version              | 505 | GET /v2/ HTTP/3.7\\r\\nHost: x\\r\\n\\r\\n
            """)
    void serverErrorsCarryTheRegistryErrorBody(String situation, int status, String request) throws Exception {
        RawResponse response = send(request);

        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers()).containsEntry("content-type", "application/json");
        JsonNode errors = JSON.readTree(response.body()).path("errors");
        assertThat(errors.size()).as(response.toString()).isEqualTo(1);
        assertThat(errors.get(0).path("code").asText()).isEqualTo("UNSUPPORTED");
        assertThat(errors.get(0).path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("secret", "aaaaaaaa", "<html");
    }

    @Test
    void aHeadRequestGetsTheStatusAndHeadersWithoutABody() throws Exception {
        RawResponse response = send("HEAD /v2/ HTTP/1.1\\r\\nHost: x\\r\\nX-Big: {long}\\r\\n\\r\\n");

        assertThat(response.status()).isEqualTo(431);
        assertThat(response.headers()).containsEntry("content-type", "application/json");
        assertThat(response.body()).isEmpty();
    }

    /** Sends {@code request} ({@code \r\n} escapes, {@code {long}} for 64 KiB of letters) and reads the answer. */
    private static RawResponse send(String request) throws IOException {
        String raw = request.replace("\\r\\n", "\r\n").replace("{long}", "a".repeat(64 * 1024));
        try (Socket socket = new Socket("127.0.0.1", registry.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return RawResponse.read(socket.getInputStream(), raw.startsWith("HEAD"));
        }
    }

    /** One HTTP/1.1 response read off a socket: status, headers (lower-case names) and body. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        static RawResponse read(InputStream in, boolean head) throws IOException {
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            // A HEAD answer ends with its headers; whatever follows before the server closes would be a body.
            byte[] body = head ? in.readAllBytes() : in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int next = in.read(); next != '\n'; next = in.read()) {
                if (next < 0) {
                    throw new IOException("the connection closed inside the response head: " + line);
                }
                if (next != '\r') {
                    line.write(next);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
