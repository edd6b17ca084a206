package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigException;
import io.berth.config.ConfigLoader;
import io.berth.oci.RepositoryName;
import io.berth.promotion.KeylessIdentity;
import io.berth.promotion.KeylessTrust;
import io.berth.promotion.RequiredSignature;
import io.berth.promotion.SigningKey;
import io.berth.testing.KeylessSigner;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code required-signatures.keyless} in the configuration: its Fulcio root and Rekor key files and
 * its identities become the gate's keyless trust root, keys become optional; a section missing any
 * part, or naming a file that cannot be read or holds the wrong thing, stops the start naming it.
 */
class KeylessGateSetupTest {
    @TempDir
    Path temporary;

    private final KeylessSigner sigstore = KeylessSigner.generate();
    private Path root;
    private Path rekor;

    @BeforeEach
    void writeTrustRoot() throws Exception {
        root = temporary.resolve("fulcio.pem");
        rekor = temporary.resolve("rekor.pub");
        Files.writeString(root, sigstore.fulcioRootPem());
        Files.writeString(rekor, sigstore.rekorPublicKeyPem());
    }

    @Test
    void theKeylessSectionBecomesTheGatesTrustRootWithoutKeys() throws Exception {
        RequiredSignature gate = gate(keyless("""
                [{issuer: "https://accounts.fedoraproject.org", subject: releng@fedoraproject.org, owner: releng},
                 {issuer: "https://token.actions.githubusercontent.com", subject: "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main"}]"""));

        KeylessTrust trust = gate.signers().keyless().orElseThrow();
        assertThat(gate.keys()).isEmpty();
        assertThat(trust.fulcioRoots()).hasSize(1);
        assertThat(trust.fulcioRoots().getFirst().getSubjectX500Principal().getName()).contains("test fulcio root");
        assertThat(trust.rekorKeys()).extracting(SigningKey::name).containsExactly("rekor.pub");
        assertThat(trust.identities()).containsExactly(
                new KeylessIdentity("https://accounts.fedoraproject.org", "releng@fedoraproject.org", Optional.of("releng")),
                new KeylessIdentity("https://token.actions.githubusercontent.com",
                        "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main", Optional.empty()));
    }

    @Test
    void keysAndKeylessCombine() throws Exception {
        Path key = temporary.resolve("release.pub");
        Files.writeString(key, SimpleSigner.generate().publicKeyPem());

        RequiredSignature gate = gate("keys: [" + key + "], " + keyless("[{issuer: https://id.example.org, subject: a@example.org}]"));

        assertThat(gate.keys()).extracting(SigningKey::name).containsExactly("release.pub");
        assertThat(gate.signers().keyless()).isPresent();
    }

    @Test
    void everyPartOfTheKeylessSectionIsRequired() {
        String identity = "identities: [{issuer: https://id.example.org, subject: a@example.org}]";

        assertThatThrownBy(() -> load("")).hasMessageContaining("needs at least one key file in keys, or keyless");
        assertThatThrownBy(() -> load("keyless: {rekor-keys: [" + rekor + "], " + identity + "}"))
                .hasMessageContaining("required-signatures.keyless.fulcio-roots needs at least one PEM file");
        assertThatThrownBy(() -> load("keyless: {fulcio-roots: [" + root + "], rekor-keys: [], " + identity + "}"))
                .hasMessageContaining("required-signatures.keyless.rekor-keys needs at least one PEM file");
        assertThatThrownBy(() -> load("keyless: {fulcio-roots: [" + root + "], rekor-keys: [" + rekor + "]}"))
                .hasMessageContaining("required-signatures.keyless.identities needs at least one identity");
        assertThatThrownBy(() -> load(keyless("[{subject: a@example.org}]")))
                .hasMessageContaining("every required-signatures.keyless.identities entry needs an issuer");
        assertThatThrownBy(() -> load(keyless("[{issuer: https://id.example.org, subject: \"\"}]")))
                .hasMessageContaining("every required-signatures.keyless.identities entry needs a subject");
        assertThatThrownBy(() -> load(keyless("[{issuer: https://id.example.org, subject: a@example.org, owner: \" \"}]")))
                .hasMessageContaining("required-signatures.keyless.identities owner must not be empty");
        assertThatThrownBy(() -> load(keyless("[{issuer: https://id.example.org, subject: a@example.org, email: a@example.org}]")))
                .hasMessageContaining("unknown key 'email'");
        assertThatThrownBy(() -> load(keyless("[{issuer: https://id.example.org, subject: a@example.org}]") + ", not-by-pusher: true"))
                .hasMessageContaining("needs an owner for every keyless.identities entry");
    }

    @Test
    void anUnreadableOrWrongFileStopsTheStartNamingIt() throws Exception {
        String identities = "identities: [{issuer: https://id.example.org, subject: a@example.org}]";
        Path absent = temporary.resolve("absent.pem");
        Path notACertificate = temporary.resolve("not-a-certificate.pem");
        Files.writeString(notACertificate, sigstore.rekorPublicKeyPem());
        Path rsa = temporary.resolve("rsa.pub");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Files.writeString(rsa, TestCertificates.pem(generator.generateKeyPair().getPublic()));

        assertThatThrownBy(() -> gate("keyless: {fulcio-roots: [" + absent + "], rekor-keys: [" + rekor + "], " + identities + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read Fulcio root " + absent);
        assertThatThrownBy(() -> gate("keyless: {fulcio-roots: [" + root + "], rekor-keys: [" + absent + "], " + identities + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read Rekor key " + absent);
        assertThatThrownBy(() -> gate("keyless: {fulcio-roots: [" + notACertificate + "], rekor-keys: [" + rekor + "], " + identities + "}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Fulcio root " + notACertificate + " holds no -----BEGIN CERTIFICATE----- block");
        assertThatThrownBy(() -> gate("keyless: {fulcio-roots: [" + root + "], rekor-keys: [" + root + "], " + identities + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fulcio.pem holds no -----BEGIN PUBLIC KEY----- block");
        assertThatThrownBy(() -> gate("keyless: {fulcio-roots: [" + root + "], rekor-keys: [" + rsa + "], " + identities + "}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Rekor key rsa.pub is not an ECDSA key");
    }

    private String keyless(String identities) {
        return "keyless: {fulcio-roots: [" + root + "], rekor-keys: [" + rekor + "], identities: " + identities + "}";
    }

    private RequiredSignature gate(String signatures) throws Exception {
        return (RequiredSignature) PromotionSetup.rules(load(signatures).promotion()).gatesFor(RepositoryName.parse("app")).getFirst();
    }

    private BerthConfig load(String signatures) throws Exception {
        Path file = Files.createTempFile(temporary, "berth", ".yml");
        Files.writeString(file, """
                promotion:
                  namespaces:
                    - {from: "candidate/*", to: "*"}
                  gates:
                    - repositories: "**"
                      required-signatures: {%s}
                """.formatted(signatures));
        return ConfigLoader.load(file);
    }
}
