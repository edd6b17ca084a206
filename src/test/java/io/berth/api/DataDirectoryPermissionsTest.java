package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.AuthConfig;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Berth creates its data directory and everything in it private to its user, whatever the
 * process's umask: after a start, pushes, an upload left in progress and a generated token signing
 * key, nothing under the data directory can be read, written or entered by another user.
 */
class DataDirectoryPermissionsTest {
    private final Path parent = createParent();

    @AfterEach
    void removeParent() {
        TestRegistry.deleteRecursively(parent);
    }

    @Test
    void everyDirectoryAndFileBerthCreatesIsOwnerOnly() throws Exception {
        Path dataDir = parent.resolve("data");
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        TestBlob layer = TestBlob.random(5000, 7);
        try (TestRegistry registry = TestRegistry.startOn(dataDir)) {
            RegistryHttp http = registry.http();
            http.pushBlob("library/app", config.content());
            http.pushBlob("library/app", layer.content());
            http.pushManifest("library/app", "1.0", MediaTypes.OCI_MANIFEST,
                    ManifestJson.ociImage(config, layer).build().content());
            String location = http.post("/v2/library/app/blobs/uploads/").headers().firstValue("Location").orElseThrow();
            assertThat(http.patch(location, new byte[100], Map.of("Content-Range", "0-99")).statusCode())
                    .as("an upload left in progress").isEqualTo(202);
        }
        AuthConfig auth = new AuthConfig(null, null, null, null, null, null, Map.of(), List.of(), null);
        try (TestRegistry registry = TestRegistry.startOn(dataDir, settings -> settings.withAuth(auth))) {
            assertThat(registry.http().get("/v2/").statusCode()).as("a registry that generated its signing key").isEqualTo(401);
        }

        List<Path> created = everythingUnder(dataDir);
        assertThat(created).as("the database, blobs, uploads and key are there")
                .anySatisfy(path -> assertThat(path.getFileName().toString()).isEqualTo("berth.db"))
                .anySatisfy(path -> assertThat(path.toString()).endsWith(layer.digest().encoded()))
                .anySatisfy(path -> assertThat(path.toString()).endsWith("data").contains("uploads"))
                .anySatisfy(path -> assertThat(path.toString()).endsWith(".jwk.json"));
        for (Path path : created) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            assertThat(permissions).as("%s is %s", dataDir.relativize(path), PosixFilePermissions.toString(permissions))
                    .allMatch(permission -> permission.name().startsWith("OWNER_"));
        }
    }

    private static List<Path> everythingUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.toList();
        }
    }

    private static Path createParent() {
        try {
            // Open to others, as /srv or /var/lib are: only what Berth creates inside must be private.
            Path directory = Files.createTempDirectory("berth-permissions-");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            return directory;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
