package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.config.ConfigException;
import io.berth.config.ConfigLoader;
import io.berth.oci.RepositoryName;
import io.berth.promotion.Gate;
import io.berth.promotion.KeylessIdentity;
import io.berth.promotion.RequiredAttestation;
import io.berth.promotion.SigningKey;
import io.berth.testing.InTotoAttester;
import io.berth.testing.KeylessSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code required-attestations} in the configuration: each entry becomes one gate with its predicate
 * type, key files and predicate conditions; an entry that could not be what its author meant (no
 * predicate type, no key, a pointer that is not one, separation of duties without owners) stops the
 * start with the key's path instead of leaving the gate out.
 */
class AttestationGateSetupTest {
    @TempDir
    Path temporary;

    private final InTotoAttester release = InTotoAttester.generate();
    private Path key;

    @BeforeEach
    void writeKey() throws Exception {
        key = temporary.resolve("release-signing.pub");
        Files.writeString(key, release.publicKeyPem());
    }

    @Test
    void eachEntryBecomesAGateWithItsTypeKeysAndPredicate() throws Exception {
        List<Gate> gates = PromotionSetup.rules(ConfigLoader.load(config("""
                        - predicate-type: https://berth.dev/test-result/v1
                          keys: [%1$s]
                          predicate:
                            /result: passed
                            /summary/failed: 0
                        - predicate-type: https://slsa.dev/provenance/v1
                          keys: [{file: %1$s, owner: releng}]
                          not-by-pusher: true
                """.formatted(key))).promotion()).gatesFor(RepositoryName.parse("app"));

        assertThat(gates).hasSize(2).allMatch(gate -> gate instanceof RequiredAttestation);
        RequiredAttestation report = (RequiredAttestation) gates.get(0);
        assertThat(report.predicateType()).isEqualTo("https://berth.dev/test-result/v1");
        assertThat(report.keys()).extracting(SigningKey::name).containsExactly("release-signing.pub");
        assertThat(report.keys().getFirst().key()).isEqualTo(release.keys().getPublic());
        assertThat(report.predicate()).containsExactly(Map.entry("/result", "passed"), Map.entry("/summary/failed", "0"));
        assertThat(report.notByPusher()).isFalse();
        RequiredAttestation provenance = (RequiredAttestation) gates.get(1);
        assertThat(provenance.notByPusher()).isTrue();
        assertThat(provenance.keys().getFirst().owner()).hasValue("releng");
        assertThat(provenance.predicate()).isEmpty();
    }

    @Test
    void anEntryWithAKeylessTrustRootNeedsNoKeys() throws Exception {
        KeylessSigner sigstore = KeylessSigner.generate();
        Path root = Files.writeString(temporary.resolve("fulcio.pem"), sigstore.fulcioRootPem());
        Path rekor = Files.writeString(temporary.resolve("rekor.pub"), sigstore.rekorPublicKeyPem());
        List<Gate> gates = PromotionSetup.rules(ConfigLoader.load(config("""
                        - predicate-type: https://berth.dev/test-result/v1
                          keyless:
                            fulcio-roots: [%s]
                            rekor-keys: [%s]
                            identities: [{issuer: https://accounts.fedoraproject.org, subject: ci@fedoraproject.org, owner: ci}]
                          not-by-pusher: true
                """.formatted(root, rekor))).promotion()).gatesFor(RepositoryName.parse("app"));

        RequiredAttestation gate = (RequiredAttestation) gates.getFirst();
        assertThat(gate.keys()).isEmpty();
        assertThat(gate.signers().keyless().orElseThrow().identities()).extracting(KeylessIdentity::subject)
                .containsExactly("ci@fedoraproject.org");
        assertThatThrownBy(() -> ConfigLoader.load(config("""
                        - predicate-type: https://berth.dev/test-result/v1
                          keyless:
                            fulcio-roots: [%s]
                            rekor-keys: [%s]
                            identities: [{issuer: https://accounts.fedoraproject.org, subject: ci@fedoraproject.org}]
                          not-by-pusher: true
                """.formatted(root, rekor)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].not-by-pusher needs an owner for every keyless.identities entry");
    }

    @Test
    void anEntryWithoutPredicateTypeOrKeysIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(config("- keys: [" + key + "]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].predicate-type is required");
        assertThatThrownBy(() -> ConfigLoader.load(config("- {predicate-type: https://berth.dev/test-result/v1, keys: []}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].keys needs at least one key file");
        assertThatThrownBy(() -> ConfigLoader.load(config("- {predicate-type: https://berth.dev/test-result/v1}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].keys needs at least one key file");
    }

    @Test
    void predicateKeysMustBeJsonPointersWithValues() {
        assertThatThrownBy(() -> ConfigLoader.load(config("""
                - predicate-type: https://berth.dev/test-result/v1
                  keys: [%s]
                  predicate: {result: passed}
                """.formatted(key))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].predicate key 'result' is not a JSON Pointer");
        assertThatThrownBy(() -> ConfigLoader.load(config("""
                - predicate-type: https://berth.dev/test-result/v1
                  keys: [%s]
                  predicate: {/result: }
                """.formatted(key))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].predicate /result needs a value");
    }

    @Test
    void notByPusherNeedsAnOwnerForEveryKey() {
        assertThatThrownBy(() -> ConfigLoader.load(config("""
                - predicate-type: https://berth.dev/test-result/v1
                  keys: [{file: %1$s, owner: releng}, %1$s]
                  not-by-pusher: true
                """.formatted(key))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("promotion.gates[].required-attestations[].not-by-pusher needs an owner for every key");
    }

    @Test
    void aMissingKeyFileStopsTheStart() throws Exception {
        Path absent = temporary.resolve("absent.pub");

        assertThatThrownBy(() -> PromotionSetup.rules(ConfigLoader.load(config(
                "- {predicate-type: https://berth.dev/test-result/v1, keys: [" + absent + "]}")).promotion()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read signing key " + absent);
    }

    private Path config(String attestations) throws Exception {
        Path file = Files.createTempFile(temporary, "berth", ".yml");
        Files.writeString(file, """
                promotion:
                  namespaces:
                    - {from: "candidate/*", to: "*"}
                  gates:
                    - repositories: "**"
                      immutable-tags: false
                      required-attestations:
                %s""".formatted(attestations.indent(8)));
        return file;
    }
}
