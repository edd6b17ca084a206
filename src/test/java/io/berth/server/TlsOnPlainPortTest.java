package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.testing.LogCapture;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TLS handshake on the plain HTTP port (what skopeo and podman send first to a registry they were
 * told is insecure) is closed without an answer, so no {@code 400} is made up for it; HTTP on the
 * same port, and bytes that only start like TLS, are served as before.
 */
class TlsOnPlainPortTest {
    private static TestRegistry registry;

    @BeforeAll
    static void start() {
        registry = TestRegistry.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aTlsClientHelloGetsTheConnectionClosedAndNoHttpAnswer() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            tlsClientHelloAndRawHandshake();
            Thread.sleep(200);
            assertThat(log.lines()).as("closing a TLS handshake is not a warning").noneMatch(line -> line.contains("WARN"));
        }
    }

    private static void tlsClientHelloAndRawHandshake() throws Exception {
        SSLContext trustingEverything = SSLContext.getInstance("TLS");
        trustingEverything.init(null, new TrustManager[] {new TrustingEverything()}, new SecureRandom());
        try (SSLSocket tls = (SSLSocket) trustingEverything.getSocketFactory()
                .createSocket("127.0.0.1", registry.uri().getPort())) {
            tls.setSoTimeout(5_000);
            assertThatExceptionOfType(IOException.class).as("the handshake ends with the connection").isThrownBy(tls::startHandshake);
        }

        try (Socket raw = new Socket("127.0.0.1", registry.uri().getPort())) {
            raw.setSoTimeout(5_000);
            raw.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x2a, 0x01, 0x00, 0x00, 0x26, 0x03, 0x03});
            raw.getOutputStream().flush();
            assertThat(raw.getInputStream().read()).as("nothing is answered").isEqualTo(-1);
        }
    }

    @Test
    void httpOnThePlainPortIsServedAsBefore() throws Exception {
        assertThat(exchange("GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(exchange("\u0016GET /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .as("a byte 22 not followed by a TLS version is HTTP's to refuse").startsWith("HTTP/1.1 400");
    }

    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", registry.uri().getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The handshake is never meant to succeed here; the server's certificate does not matter. */
    private static final class TrustingEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
