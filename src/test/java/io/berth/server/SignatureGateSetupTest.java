package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.config.ConfigException;
import io.berth.config.ConfigLoader;
import io.berth.oci.RepositoryName;
import io.berth.promotion.RequiredSignature;
import io.berth.promotion.SigningKey;
import io.berth.testing.SimpleSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code required-signatures} in the configuration: its key files become the gate's keys, named by
 * file; a section without keys, a missing file or a file without a public key stops the start
 * instead of leaving the gate out.
 */
class SignatureGateSetupTest {
    @TempDir
    Path temporary;

    @Test
    void theKeyFilesBecomeTheGatesKeys() throws Exception {
        SimpleSigner release = SimpleSigner.generate();
        Path key = temporary.resolve("release-signing.pub");
        Files.writeString(key, release.publicKeyPem());

        RequiredSignature gate = (RequiredSignature) PromotionSetup.rules(ConfigLoader.load(config("keys: [" + key + "]"))
                .promotion()).gatesFor(RepositoryName.parse("app")).getFirst();

        assertThat(gate.keys()).extracting(SigningKey::name).containsExactly("release-signing.pub");
        assertThat(gate.keys().getFirst().key()).isEqualTo(release.keys().getPublic());
    }

    @Test
    void keysMayNameTheirOwnerAndNotByPusherNeedsEveryOwner() throws Exception {
        SimpleSigner release = SimpleSigner.generate();
        Path key = temporary.resolve("release-signing.pub");
        Files.writeString(key, release.publicKeyPem());

        RequiredSignature gate = (RequiredSignature) PromotionSetup.rules(ConfigLoader.load(config(
                "keys: [{file: " + key + ", owner: releng}], not-by-pusher: true")).promotion())
                .gatesFor(RepositoryName.parse("app")).getFirst();

        assertThat(gate.notByPusher()).isTrue();
        assertThat(gate.keys()).extracting(signingKey -> signingKey.owner().orElseThrow()).containsExactly("releng");
        assertThatThrownBy(() -> ConfigLoader.load(config("keys: [" + key + "], not-by-pusher: true")))
                .hasMessageContaining("needs an owner for every key");
    }

    @Test
    void aSectionWithoutKeysAMissingFileOrAFileWithoutAKeyIsAConfigurationError() throws Exception {
        Path notAKey = temporary.resolve("not-a-key.pub");
        Files.writeString(notAKey, "hello\n");

        assertThatThrownBy(() -> ConfigLoader.load(config("keys: []"))).hasMessageContaining("at least one key");
        assertThatThrownBy(() -> PromotionSetup.rules(ConfigLoader.load(config("keys: [" + temporary.resolve("absent.pub") + "]"))
                .promotion())).isInstanceOf(ConfigException.class).hasMessageContaining("cannot read signing key");
        assertThatThrownBy(() -> PromotionSetup.rules(ConfigLoader.load(config("keys: [" + notAKey + "]")).promotion()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no -----BEGIN PUBLIC KEY----- block");
    }

    private Path config(String signatures) throws Exception {
        Path file = Files.createTempFile(temporary, "berth", ".yml");
        Files.writeString(file, """
                promotion:
                  namespaces:
                    - {from: "candidate/*", to: "*"}
                  gates:
                    - repositories: "**"
                      required-signatures: {%s}
                """.formatted(signatures));
        return file;
    }
}
