package io.berth.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testing.BerthProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server with {@code log: {format: json}}: each access record is one JSON object on a
 * line of standard output, with the id the client got in {@code X-Request-Id}; a TLS ClientHello on
 * the plain port is recorded as a TLS handshake, and the server goes on answering.
 */
class JsonAccessLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;

    @Test
    void recordsAreJsonLinesWithTheRequestIdOfTheAnswer() throws Exception {
        Path config = Files.writeString(temporary.resolve("berth.yml"), """
                data-dir: %s
                log:
                  format: json
                """.formatted(temporary.resolve("data")));
        try (BerthProcess berth = BerthProcess.startWithConfig(config, List.of())) {
            HttpResponse<byte[]> answer = berth.http().get("/v2/");
            String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).matches("[0-9a-f]{16}");
            sendClientHello(berth.uri().getPort());
            assertThat(berth.http().get("/v2/").statusCode()).isEqualTo(200);

            List<JsonNode> records = awaitRecords(berth, 3);
            assertThat(records).hasSize(3);
            JsonNode first = records.getFirst();
            assertThat(first.get("method").asText()).isEqualTo("GET");
            assertThat(first.get("path").asText()).isEqualTo("/v2/");
            assertThat(first.get("status").asInt()).isEqualTo(200);
            assertThat(first.get("request_id").asText()).isEqualTo(id);
            assertThat(records.get(1).get("method").asText()).isEqualTo("TLS");
            assertThat(records.get(1).get("path").asText()).isEqualTo("handshake-on-plain-HTTP-port");
            assertThat(records.get(1).get("status").asInt()).isEqualTo(400);
        }
    }

    /** The start of a TLS 1.2 ClientHello, as skopeo sends to a registry it was told is insecure. */
    private static void sendClientHello(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03});
            socket.getOutputStream().flush();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
        }
    }

    /** The access records among Berth's output lines, once {@code count} are written (they are written in batches), or after 10 s. */
    private static List<JsonNode> awaitRecords(BerthProcess berth, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonNode> records = records(berth);
        while (records.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            records = records(berth);
        }
        return records;
    }

    private static List<JsonNode> records(BerthProcess berth) throws IOException {
        return berth.output().lines().filter(line -> line.startsWith("{\"time\":")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
