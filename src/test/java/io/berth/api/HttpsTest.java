package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.config.TlsConfig;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestCertificates;
import io.berth.testing.TestCertificates.IssuedCertificate;
import io.berth.testing.TestCertificates.KeyType;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Berth serving HTTPS from PEM files: the registry API over TLS, HTTP/2 chosen by ALPN with
 * HTTP/1.1 for clients that do not offer it, only TLS 1.3 and TLS 1.2 with ECDHE and AEAD, and a
 * replaced certificate served to new connections without a restart.
 */
class HttpsTest {
    /** Bigger than the 4 MiB window in which blobs are sent from mapped files, so a pull spans several. */
    private static final int LARGE_BLOB_BYTES = 9 * 1024 * 1024 + 17;

    private static TestCertificates authority;
    private static TestRegistry registry;

    @TempDir
    static Path sharedFiles;
    @TempDir
    Path files;

    @BeforeAll
    static void startOverHttps() {
        authority = TestCertificates.newAuthority();
        registry = startWithCertificate(authority.issueServerCertificate(KeyType.RSA), sharedFiles, 10);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theBaseEndpointAnswersOverHttps() {
        HttpResponse<byte[]> response = client(HttpClient.Version.HTTP_1_1).get("/v2/");

        assertThat(registry.uri().getScheme()).isEqualTo("https");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.uri().getScheme()).isEqualTo("https");
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(response.headers().firstValue("Server")).as("no server version over TLS either").isEmpty();
    }

    @Test
    void alpnChoosesHttp2WhenTheClientOffersIt() {
        HttpResponse<byte[]> response = client(HttpClient.Version.HTTP_2).get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(response.headers().firstValue("Server")).as("no server version over HTTP/2 either").isEmpty();
    }

    @Test
    void aClientOfferingOnlyHttp11GetsHttp11() {
        HttpResponse<byte[]> response = client(HttpClient.Version.HTTP_1_1).get("/v2/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void alpnPrefersHttp2AmongTheOfferedProtocols() throws IOException {
        try (SSLSocket socket = connect()) {
            offerApplicationProtocols(socket, "http/1.1", "h2");
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @Test
    void alpnOfferingOnlyHttp11SelectsItAndServesHttp11() throws IOException {
        try (SSLSocket socket = connect()) {
            offerApplicationProtocols(socket, "http/1.1");
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(statusLineOfGetV2(socket)).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aClientWithoutAlpnIsServedHttp11() throws IOException {
        try (SSLSocket socket = connect()) {
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).as("no protocol negotiated").isEmpty();
            assertThat(statusLineOfGetV2(socket)).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aBlobPushedOverHttp2PullsBackOverBothVersions() {
        RegistryHttp http2 = client(HttpClient.Version.HTTP_2);
        TestBlob large = TestBlob.random(LARGE_BLOB_BYTES, 41);

        assertThat(http2.pushBlob("tls/blobs", large.content())).isEqualTo(large.digest());

        HttpResponse<byte[]> overHttp2 = http2.get("/v2/tls/blobs/blobs/" + large.digest());
        assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(overHttp2.statusCode()).isEqualTo(200);
        assertThat(Digest.of(DigestAlgorithm.SHA256, overHttp2.body())).isEqualTo(large.digest());
        HttpResponse<byte[]> overHttp11 = client(HttpClient.Version.HTTP_1_1).get("/v2/tls/blobs/blobs/" + large.digest());
        assertThat(overHttp11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(Digest.of(DigestAlgorithm.SHA256, overHttp11.body())).isEqualTo(large.digest());
    }

    @Test
    void aChunkedUploadOverHttp2Completes() {
        RegistryHttp http2 = client(HttpClient.Version.HTTP_2);
        TestBlob blob = TestBlob.random(300_000, 42);
        String location = http2.post("/v2/tls/chunked/blobs/uploads/").headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> chunk = http2.patch(location, Arrays.copyOfRange(blob.content(), 0, 200_000),
                Map.of("Content-Range", "0-199999"));
        assertThat(chunk.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(chunk.statusCode()).isEqualTo(202);
        assertThat(chunk.headers().firstValue("Range")).hasValue("0-199999");
        HttpResponse<byte[]> put = http2.send(http2.request(chunk.headers().firstValue("Location").orElseThrow()
                        + "?digest=" + blob.digest())
                .header("Content-Range", "200000-299999")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob.content(), 200_000, 300_000)))
                .build());

        assertThat(put.statusCode()).as(RegistryHttp.text(put)).isEqualTo(201);
        assertThat(http2.get("/v2/tls/chunked/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void aClientWithoutTheAuthorityRefusesTheCertificate() {
        RegistryHttp untrusting = new RegistryHttp(registry.uri(), HttpClient.newBuilder()
                .sslContext(TestCertificates.newAuthority().clientContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build());

        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(() -> untrusting.get("/v2/"))
                .havingCause()
                .isInstanceOf(SSLHandshakeException.class)
                .withMessageContaining("unable to find valid certification path");
    }

    @Test
    void tls13IsTheDefault() throws IOException {
        try (SSLSocket socket = connect()) {
            socket.startHandshake();

            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"})
    void tls12WithEcdheAndAnAeadCipherIsAccepted(String cipherSuite) throws IOException {
        try (SSLSocket socket = connect()) {
            socket.setEnabledProtocols(new String[]{"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[]{cipherSuite});
            socket.startHandshake();

            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(cipherSuite);
        }
    }

    /** These suites are enabled by the JDK's defaults, so refusing them is Berth's own choice. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"})
    void tls12WithoutEcdheOrWithoutAeadIsRefused(String cipherSuite) throws IOException {
        try (SSLSocket socket = connect()) {
            socket.setEnabledProtocols(new String[]{"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[]{cipherSuite});

            assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(socket::startHandshake);
        }
    }

    /**
     * A ClientHello offering at most TLS 1.0 or 1.1, written byte by byte, because the JDK's own
     * client refuses to send one; the server must answer with a fatal {@code protocol_version}
     * alert (RFC 8446 section 6.2, RFC 8996) instead of a ServerHello.
     */
    @ParameterizedTest(name = "TLS 1.{0}")
    @CsvSource({"0", "1"})
    void tls10And11ClientHellosAreAnsweredWithAProtocolVersionAlert(int minorVersion) throws IOException {
        byte[] answer = firstRecordAnswering(handWrittenClientHello(minorVersion + 1));

        assertThat(answer[0]).as("record type: 21 is an alert, 22 would be a ServerHello").isEqualTo((byte) 21);
        assertThat(answer[5]).as("alert level: fatal").isEqualTo((byte) 2);
        assertThat(answer[6]).as("alert description: protocol_version").isEqualTo((byte) 70);
    }

    /** Keeps the test above honest: the same hand-written hello, offering TLS 1.2, is answered with a ServerHello. */
    @Test
    void theHandWrittenClientHelloOfferingTls12GetsAServerHello() throws IOException {
        byte[] answer = firstRecordAnswering(handWrittenClientHello(3));

        assertThat(answer[0]).as("record type: handshake").isEqualTo((byte) 22);
        assertThat(answer[5]).as("handshake type: server_hello").isEqualTo((byte) 2);
    }

    @Test
    void aReplacedCertificateIsServedToNewConnectionsAndACorruptOneIsIgnored() throws Exception {
        IssuedCertificate original = authority.issueServerCertificate(KeyType.EC);
        try (TestRegistry reloading = startWithCertificate(original, files, 1)) {
            assertThat(servedSerial(reloading)).isEqualTo(original.serialNumber());
            RegistryHttp http2 = client(reloading, HttpClient.Version.HTTP_2);
            TestBlob blob = TestBlob.of("pushed before the certificate changes");
            http2.pushBlob("tls/reload", blob.content());

            IssuedCertificate renewed = authority.issueServerCertificate(KeyType.EC);
            renewed.write(files.resolve("tls.crt"), files.resolve("tls.key"));
            awaitServedSerial(reloading, renewed.serialNumber());

            assertThat(http2.get("/v2/tls/reload/blobs/" + blob.digest()).body())
                    .as("a connection opened before the change still works")
                    .isEqualTo(blob.content());

            TestCertificates.replace(files.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
            Thread.sleep(3_000);
            assertThat(servedSerial(reloading)).as("three looks later, the corrupt file is still ignored")
                    .isEqualTo(renewed.serialNumber());
            assertThat(client(reloading, HttpClient.Version.HTTP_2).get("/v2/").statusCode()).isEqualTo(200);

            IssuedCertificate repaired = authority.issueServerCertificate(KeyType.RSA);
            repaired.write(files.resolve("tls.crt"), files.resolve("tls.key"));
            awaitServedSerial(reloading, repaired.serialNumber());
        }
    }

    @Test
    void startingWithAKeyThatIsNotTheCertificatesFailsNamingTheFiles() {
        authority.issueServerCertificate(KeyType.EC).writeChain(files.resolve("tls.crt"));
        authority.issueServerCertificate(KeyType.EC).writeKey(files.resolve("tls.key"), TestCertificates.KeyFormat.PKCS8);

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(() -> TestRegistry.start(config -> config.withTls(
                        new TlsConfig(files.resolve("tls.crt").toString(), files.resolve("tls.key").toString(), 1))))
                .havingCause()
                .isInstanceOf(io.berth.server.StartupException.class)
                .matches(cause -> ((io.berth.server.StartupException) cause).problem()
                        == io.berth.server.StartupException.Problem.TLS_FILES, "a TLS files problem")
                .withMessageContaining(files.resolve("tls.key").toString())
                .withMessageContaining("does not belong to the first certificate in " + files.resolve("tls.crt"));
    }

    private static TestRegistry startWithCertificate(IssuedCertificate certificate, Path directory, int reloadSeconds) {
        Path certificateFile = directory.resolve("tls.crt");
        Path keyFile = directory.resolve("tls.key");
        certificate.write(certificateFile, keyFile);
        return TestRegistry.start(config -> config.withTls(
                new TlsConfig(certificateFile.toString(), keyFile.toString(), reloadSeconds)));
    }

    private static RegistryHttp client(HttpClient.Version version) {
        return client(registry, version);
    }

    /** A client that trusts the test authority and checks the host name, as real clients do. */
    private static RegistryHttp client(TestRegistry target, HttpClient.Version version) {
        return new RegistryHttp(target.uri(), HttpClient.newBuilder()
                .sslContext(authority.clientContext())
                .version(version)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** A TLS socket to the shared registry that checks the host name against the certificate. */
    private static SSLSocket connect() throws IOException {
        return connect(registry);
    }

    private static SSLSocket connect(TestRegistry target) throws IOException {
        SSLSocket socket = (SSLSocket) authority.clientContext().getSocketFactory().createSocket("127.0.0.1", target.uri().getPort());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static void offerApplicationProtocols(SSLSocket socket, String... protocols) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(protocols);
        socket.setSSLParameters(parameters);
    }

    /** Sends {@code GET /v2/} as HTTP/1.1 over {@code socket} and reads the status line of the answer. */
    private static String statusLineOfGetV2(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        return reader.readLine();
    }

    /** The serial number of the certificate a new connection is shown (a new client context: no resumed session). */
    private static BigInteger servedSerial(TestRegistry target) throws IOException {
        try (SSLSocket socket = connect(target)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static void awaitServedSerial(TestRegistry target, BigInteger expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!servedSerial(target).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(servedSerial(target)).as("the certificate new connections see").isEqualTo(expected);
    }

    /**
     * A TLS ClientHello (RFC 5246 section 7.4.1.2) whose highest version is 3.{@code minor}
     * (1 = TLS 1.0, 2 = TLS 1.1, 3 = TLS 1.2), offering ECDHE and RSA key exchange with AES-CBC, as
     * such clients did, and one ECDHE-GCM suite so that TLS 1.2 can be agreed; no
     * {@code supported_versions} extension, so nothing newer is offered.
     */
    private static byte[] handWrittenClientHello(int minor) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(minor);
        byte[] random = new byte[32];
        new Random(minor).nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035, 0xC02F};
        writeShort(body, suites.length * 2);
        for (int suite : suites) {
            writeShort(body, suite);
        }
        body.write(1); // one compression method: null
        body.write(0);
        byte[] extensions = {
                0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17,                     // supported_groups: secp256r1
                0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,                                 // ec_point_formats: uncompressed
                0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x08, 0x04, 0x04, 0x01, 0x04, 0x03}; // signature_algorithms
        writeShort(body, extensions.length);
        body.writeBytes(extensions);

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        handshake.write(0);
        writeShort(handshake, body.size());
        handshake.writeBytes(body.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22); // handshake
        record.write(3);
        record.write(1);
        writeShort(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    /**
     * Sends {@code clientHello} to the shared registry and returns the first seven bytes it answers:
     * the record header (type, version, length) and the first two bytes of its content.
     */
    private static byte[] firstRecordAnswering(byte[] clientHello) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", registry.uri().getPort()), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello);
            socket.getOutputStream().flush();
            byte[] answer = new byte[7];
            try {
                new DataInputStream(socket.getInputStream()).readFully(answer);
            } catch (EOFException e) {
                throw new AssertionError("the server closed the connection without answering", e);
            }
            return answer;
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >> 8 & 0xff);
        out.write(value & 0xff);
    }
}
