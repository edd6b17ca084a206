package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.RepositoryName;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client of another registry sends where: credentials only to that registry's own
 * origin, the source's bytes checked against their digest. The registries here are small JDK HTTP
 * servers that answer as a registry would and record what they receive.
 */
class RemoteRegistryTest {
    private static final RepositoryName APP = RepositoryName.parse("app");
    private static final byte[] CONTENT = "layer bytes".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.of(DigestAlgorithm.SHA256, CONTENT);

    private HttpServer registry;
    private HttpServer elsewhere;
    private final List<String> registryAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> elsewhereAuthorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elsewhere.createContext("/", exchange -> {
            elsewhereAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        elsewhere.start();
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            registryAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            // Every upload is sent to another host, as a misconfigured or hostile registry might.
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/upload/1");
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        elsewhere.stop(0);
    }

    @Test
    void anUploadLocationOnAnotherOriginGetsTheBytesButNotTheCredentials() {
        RemoteRegistry remote = new RemoteRegistry(URI.create("http://127.0.0.1:" + registry.getAddress().getPort()),
                Optional.of(Map.entry("releng", "secret")));

        boolean mounted = remote.putBlob(APP, DIGEST, CONTENT.length, RepositoryName.parse("candidate/app"),
                () -> new ByteArrayInputStream(CONTENT));

        assertThat(mounted).isFalse();
        assertThat(registryAuthorizations).isNotEmpty().allSatisfy(value -> assertThat(value).startsWith("Basic "));
        assertThat(elsewhereAuthorizations).containsExactly("null");
    }

    @Test
    void sourceBytesThatDoNotMatchTheirDigestFailTheUpload() {
        RemoteRegistry remote = new RemoteRegistry(URI.create("http://127.0.0.1:" + registry.getAddress().getPort()),
                Optional.empty());

        assertThatThrownBy(() -> remote.putBlob(APP, DIGEST, CONTENT.length, RepositoryName.parse("candidate/app"),
                () -> new ByteArrayInputStream("other bytes".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(RemoteRegistry.RemoteFailure.class).hasMessageContaining("read as");
    }

    @Test
    void anAnswerLongerThanAnyManifestIsCutOffAndRefused() throws Exception {
        HttpServer endless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endless.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (var out = exchange.getResponseBody()) {
                // 256 MiB, far more than a manifest may be: the client must stop reading long before.
                for (int i = 0; i < 4096; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException closedByTheClient) {
                // expected once the client has read enough
            }
        });
        endless.start();
        try {
            RemoteRegistry remote = new RemoteRegistry(URI.create("http://127.0.0.1:" + endless.getAddress().getPort()),
                    Optional.empty());

            assertThatThrownBy(() -> remote.manifest(APP, "1"))
                    .isInstanceOf(RemoteRegistry.RemoteFailure.class)
                    .hasMessageContaining("is over " + io.berth.oci.Limits.MAX_MANIFEST_BYTES + " bytes");
        } finally {
            endless.stop(0);
        }
    }
}
