package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.mirror.ClientAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A TLS handshake sent to the plain-HTTP port, as skopeo and podman with {@code --tls-verify=false}
 * send one on every connection before they fall back to HTTP: the server answers it {@code 400} and
 * closes, the access log writes it as {@code TLS handshake-on-plain-HTTP-port} rather than
 * {@code BAD /badMessage}, and the server goes on serving. Other bad requests keep Jetty's line.
 */
class TlsOnPlainPortTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aClientHelloFromAJavaTlsClientIsLoggedAsATlsHandshakeAndTheServerStaysHealthy() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccessLog log = start(out, AccessLog.Format.TEXT)) {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, null, null);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                assertThatExceptionOfType(SSLException.class).isThrownBy(socket::startHandshake);
            }
            // The client can read the answer before the server has logged it: wait, so that the lines are in order.
            awaitLines(out, 1);
            assertThat(plainGet("/v2/")).startsWith("HTTP/1.1 200 ");
            awaitLines(out, 2);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).matches("\\S+Z 127\\.0\\.0\\.1 - TLS handshake-on-plain-HTTP-port 400 \\d+ \\d+\\.\\d{3}ms");
        assertThat(lines.getFirst().split(" ")).as("eight fields").hasSize(8);
        assertThat(lines.getLast()).contains(" GET /v2/ 200 ");
    }

    @Test
    void rawClientHelloBytesAreAnsweredWithAnHttpErrorCarryingTheIdOfTheJsonRecord() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String answer;
        try (AccessLog log = start(out, AccessLog.Format.JSON)) {
            answer = send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03});
            awaitLines(out, 1);
        }
        // An HTTP answer is what a TLS client recognises as "server gave HTTP response to HTTPS client", and falls
        // back on; send() read it to its end, so the server closed the connection after it.
        assertThat(answer).startsWith("HTTP/1.1 400 ");
        JsonNode record = JSON.readTree(out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
        assertThat(record.get("method").asText()).isEqualTo("TLS");
        assertThat(record.get("path").asText()).isEqualTo("handshake-on-plain-HTTP-port");
        assertThat(record.get("status").asInt()).isEqualTo(400);
        assertThat(answer).contains(RequestIds.HEADER + ": " + record.get("request_id").asText() + "\r\n");
    }

    @Test
    void otherBadRequestsKeepJettysLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AccessLog log = start(out, AccessLog.Format.TEXT)) {
            assertThat(send("\u0001GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 400 ");
            awaitLines(out, 1);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(" - BAD /badMessage 400 ");
    }

    private AccessLog start(ByteArrayOutputStream out, AccessLog.Format format) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new RequestIds(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        }));
        server.setErrorHandler(new ServerErrorHandler());
        AccessLog log = new AccessLog(out, ClientAddresses.trustingNoProxy(), format);
        server.setRequestLog(log);
        server.start();
        port = connector.getLocalPort();
        return log;
    }

    private String plainGet(String path) throws IOException {
        return send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends {@code bytes} on a new connection and reads the answer until the server closes it. */
    private String send(byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until {@code count} lines are written, or 10 s: lines are written in batches. */
    private static void awaitLines(ByteArrayOutputStream out, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.toString(StandardCharsets.UTF_8).lines().count() < count && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofMillis(10));
        }
    }
}
