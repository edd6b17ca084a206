package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.config.AuthConfig;
import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.server.BerthServer;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secure by default: without authentication Berth listens on loopback only; listening on every
 * interface needs either an {@code auth} section or an explicit {@code insecure-open-registry}.
 */
class SecureByDefaultTest {
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory("berth-secure-");
    }

    @AfterEach
    void deleteDataDir() {
        TestRegistry.deleteRecursively(dataDir);
    }

    @Test
    void refusesToListenOnEveryInterfaceWithoutAuthentication() {
        BerthConfig open = everyInterface();

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> BerthServer.start(open))
                .withMessageContaining("0.0.0.0")
                .withMessageContaining("insecure-open-registry");
    }

    @Test
    void listensOnEveryInterfaceWhenAnOpenRegistryIsAskedFor() throws Exception {
        try (BerthServer server = BerthServer.start(everyInterface().withInsecureOpenRegistry(true))) {
            HttpResponse<byte[]> response = overLoopback(server).get("/v2/");

            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void listensOnEveryInterfaceWithAuthentication() throws Exception {
        AuthConfig auth = new AuthConfig(null, null, null, null, null, null, Map.of(), List.of(), null);

        try (BerthServer server = BerthServer.start(everyInterface().withAuth(auth))) {
            HttpResponse<byte[]> response = overLoopback(server).get("/v2/");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RegistryHttp.errorCode(response)).isEqualTo("UNAUTHORIZED");
        }
    }

    @Test
    void listensOnLoopbackWithoutAuthentication() throws Exception {
        try (BerthServer server = BerthServer.start(new BerthConfig("127.0.0.1:0", dataDir.toString(), false, 5))) {
            assertThat(overLoopback(server).get("/v2/").statusCode()).isEqualTo(200);
        }
    }

    private BerthConfig everyInterface() {
        return new BerthConfig("0.0.0.0:0", dataDir.toString(), false, 5);
    }

    private static RegistryHttp overLoopback(BerthServer server) {
        return new RegistryHttp(URI.create("http://127.0.0.1:" + server.port() + "/"));
    }
}
