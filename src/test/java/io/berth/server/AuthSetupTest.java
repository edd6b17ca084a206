package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.config.AuthConfig;
import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.testing.Htpasswd;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code auth} section that cannot be put to work stops Berth at start with a
 * {@link ConfigException} that names the file and the reason, which {@code berth serve} prints as
 * one line (exit status 4, {@code io.berth.cli.ExitCodes.CONFIGURATION}), never a stack trace.
 */
class AuthSetupTest {
    private Path directory;

    @BeforeEach
    void createDirectory() throws IOException {
        directory = Files.createTempDirectory("berth-auth-setup-");
    }

    @AfterEach
    void deleteDirectory() {
        TestRegistry.deleteRecursively(directory);
    }

    @Test
    void anHtpasswdFileWithANonBcryptLineIsAConfigurationError() throws IOException {
        Path htpasswd = Files.write(directory.resolve("users.htpasswd"),
                List.of(Htpasswd.line("admin", "fine"), "releng:$apr1$Ysb3kd1O$Rxg0Jh1Fkn9PZjDkLZRiJ/"));

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> start(auth(htpasswd.toString(), null)))
                .withMessageContaining(htpasswd.toString())
                .withMessageContaining("bcrypt");
    }

    @Test
    void aMissingHtpasswdFileIsAConfigurationError() {
        Path missing = directory.resolve("absent.htpasswd");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> start(auth(missing.toString(), null)))
                .withMessageContaining(missing.toString());
    }

    @Test
    void aSigningKeyThatIsNotAnEcPrivateKeyIsAConfigurationError() throws IOException {
        Path key = Files.writeString(directory.resolve("key.pem"), "not a key\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> start(auth(null, key.toString())))
                .withMessageContaining(key.toString());
    }

    @Test
    void aTrustedIssuerWithoutReadableKeysIsAConfigurationError() {
        Path jwks = directory.resolve("absent.jwks.json");
        AuthConfig auth = new AuthConfig(null, null, null, null, null, null, Map.of(), List.of(),
                List.of(new AuthConfig.TrustedIssuerConfig("sso", jwks.toString(), null)));

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> start(auth))
                .withMessageContaining(jwks.toString());
    }

    @Test
    void aWorkableSectionStarts() throws Exception {
        Path htpasswd = Files.write(directory.resolve("users.htpasswd"), List.of(Htpasswd.line("admin", "fine")));

        try (BerthServer server = BerthServer.start(config(auth(htpasswd.toString(), null)))) {
            assertThat(server.port()).isPositive();
        }
    }

    private static AuthConfig auth(String htpasswd, String signingKey) {
        return new AuthConfig(null, null, null, null, signingKey, htpasswd, Map.of(), List.of(), null);
    }

    private void start(AuthConfig auth) throws Exception {
        BerthServer.start(config(auth)).close();
    }

    private BerthConfig config(AuthConfig auth) {
        return new BerthConfig("127.0.0.1:0", directory.resolve("data").toString(), false, 5).withAuth(auth);
    }
}
