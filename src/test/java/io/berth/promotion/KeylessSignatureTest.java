package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Limits;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.testing.KeylessSigner;
import io.berth.testing.SimpleSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code required-signatures} gate with keyless signatures: a signature counts only when its
 * certificate chains to the configured Fulcio root, names a configured identity and is for code
 * signing, and the transparency log, by a configured Rekor key, recorded this very signature while
 * the certificate was valid. Each refusal names what failed.
 */
class KeylessSignatureTest {
    private static final Digest PROMOTED = Digest.of(DigestAlgorithm.SHA256, "the candidate".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.of(DigestAlgorithm.SHA256, "another image".getBytes(StandardCharsets.UTF_8));
    private static final String FEDORA = "https://accounts.fedoraproject.org";
    private static final String RELENG = "releng@fedoraproject.org";
    private static final byte[] PAYLOAD = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeylessSigner sigstore = KeylessSigner.generate();
    private final RequiredSignature gate = gate(sigstore, new KeylessIdentity(FEDORA, RELENG, Optional.of("releng")), false);

    @Test
    void aKeylessSignatureByTheIdentityPassesAndNamesIt() {
        GateOutcome outcome = gate.check(candidate(sigstore.sign(PAYLOAD, RELENG, FEDORA)));

        assertThat(outcome.passed()).as(outcome.reason()).isTrue();
        assertThat(outcome.gate()).isEqualTo("signature by " + RELENG + " (" + FEDORA + ")");
        assertThat(outcome.reason()).isEqualTo("signed by " + RELENG + " (" + FEDORA + "), keyless (tag sha256-x.sig)");
    }

    @Test
    void theIssuerMayBeInTheLegacyExtension() {
        GateOutcome outcome = gate.check(candidate(sigstore.signing(PAYLOAD, RELENG, FEDORA).legacyIssuer().sign()));

        assertThat(outcome.passed()).as(outcome.reason()).isTrue();
    }

    @Test
    void aCertificateFromAnotherFulcioIsRefused() {
        RequiredSignature otherRoot = new RequiredSignature(new Signers(List.of(), Optional.of(new KeylessTrust(
                FulcioCertificate.parsePem(KeylessSigner.generate().fulcioRootPem()),
                List.of(SigningKey.fromPem("rekor.pub", sigstore.rekorPublicKeyPem())),
                List.of(new KeylessIdentity(FEDORA, RELENG, Optional.empty()))))), false);

        GateOutcome outcome = otherRoot.check(candidate(sigstore.sign(PAYLOAD, RELENG, FEDORA)));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("certificate does not chain to a configured Fulcio root");
    }

    @Test
    void anEntryLoggedByAnotherRekorIsRefused() {
        GateOutcome outcome = gate.check(candidate(KeylessSigner.generate().sign(PAYLOAD, RELENG, FEDORA)));

        assertThat(outcome.reason()).isEqualTo("transparency log entry not signed by a configured Rekor key");
    }

    @Test
    void aChainWithoutTheIntermediateDoesNotReachTheRoot() {
        SimpleSigner.Signed signed = sigstore.sign(PAYLOAD, RELENG, FEDORA)
                .with(KeylessSigner.CHAIN_ANNOTATION, Optional.empty());

        assertThat(gate.check(candidate(signed)).reason()).isEqualTo("certificate does not chain to a configured Fulcio root");
    }

    @Test
    void anIntermediateAmongTheRootsIsAnAnchorWithoutTheChain() {
        RequiredSignature intermediateTrusted = new RequiredSignature(new Signers(List.of(), Optional.of(new KeylessTrust(
                FulcioCertificate.parsePem(sigstore.fulcioIntermediatePem()),
                List.of(SigningKey.fromPem("rekor.pub", sigstore.rekorPublicKeyPem())),
                List.of(new KeylessIdentity(FEDORA, RELENG, Optional.empty()))))), false);
        SimpleSigner.Signed withoutChain = sigstore.sign(PAYLOAD, RELENG, FEDORA).with(KeylessSigner.CHAIN_ANNOTATION, Optional.empty());

        assertThat(intermediateTrusted.check(candidate(withoutChain)).passed()).isTrue();
    }

    @Test
    void anUnreadableCertificateOrBundleIsRefused() {
        SimpleSigner.Signed honest = sigstore.sign(PAYLOAD, RELENG, FEDORA);

        assertThat(gate.check(candidate(honest.with(KeylessSigner.CERTIFICATE_ANNOTATION, Optional.of("not a certificate")))).reason())
                .isEqualTo("certificate annotation holds no -----BEGIN CERTIFICATE----- block");
        assertThat(gate.check(candidate(honest.with(KeylessSigner.BUNDLE_ANNOTATION, Optional.of("{")))).reason())
                .isEqualTo("transparency log bundle is not JSON");
    }

    @Test
    void anotherSubjectOrIssuerMatchesNoIdentity() {
        GateOutcome stranger = gate.check(candidate(sigstore.sign(PAYLOAD, "mallory@example.org", FEDORA)));
        GateOutcome otherIssuer = gate.check(candidate(sigstore.sign(PAYLOAD, RELENG, "https://accounts.example.org")));

        assertThat(stranger.passed()).isFalse();
        assertThat(stranger.reason()).isEqualTo("certificate for mallory@example.org from " + FEDORA + " matches no identity");
        assertThat(otherIssuer.passed()).isFalse();
        assertThat(otherIssuer.reason()).isEqualTo("certificate for " + RELENG + " from https://accounts.example.org matches no identity");
    }

    @Test
    void aUriIdentityIsMatchedToo() {
        String workflow = "https://github.com/example/app/.github/workflows/release.yml@refs/heads/main";
        String actions = "https://token.actions.githubusercontent.com";
        RequiredSignature byWorkflow = gate(sigstore, new KeylessIdentity(actions, workflow, Optional.empty()), false);

        assertThat(byWorkflow.check(candidate(sigstore.sign(PAYLOAD, workflow, actions))).passed()).isTrue();
    }

    @Test
    void aCertificateNotForCodeSigningIsRefused() {
        GateOutcome outcome = gate.check(candidate(sigstore.signing(PAYLOAD, RELENG, FEDORA).notForCodeSigning().sign()));

        assertThat(outcome.reason()).isEqualTo("certificate is not for code signing");
    }

    @Test
    void aTamperedOrForeignSignedEntryTimestampIsRefused() throws Exception {
        SimpleSigner.Signed honest = sigstore.sign(PAYLOAD, RELENG, FEDORA);
        ObjectNode bundle = (ObjectNode) JSON.readTree(honest.annotations().get(KeylessSigner.BUNDLE_ANNOTATION));
        ((ObjectNode) bundle.get("Payload")).put("logIndex", bundle.get("Payload").get("logIndex").asLong() + 1);
        SimpleSigner.Signed tampered = honest.with(KeylessSigner.BUNDLE_ANNOTATION, Optional.of(JSON.writeValueAsString(bundle)));
        SimpleSigner.Signed foreign = sigstore.signing(PAYLOAD, RELENG, FEDORA)
                .logSignedWith(KeylessSigner.ecKeys().getPrivate()).sign();

        assertThat(gate.check(candidate(tampered)).reason()).isEqualTo("transparency log entry not signed by a configured Rekor key");
        assertThat(gate.check(candidate(foreign)).reason()).isEqualTo("transparency log entry not signed by a configured Rekor key");
    }

    @Test
    void anEntryRecordingAnotherSignatureIsRefused() {
        byte[] other = SimpleSigner.payload("registry.example.org/candidate/app:1", OTHER);

        GateOutcome outcome = gate.check(candidate(sigstore.signing(PAYLOAD, RELENG, FEDORA).loggingSignatureOf(other).sign()));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("transparency log entry does not name this signature");
    }

    @Test
    void anEntryLoggedOutsideTheCertificatesTenMinutesIsRefused() {
        GateOutcome late = gate.check(candidate(sigstore.signing(PAYLOAD, RELENG, FEDORA).loggedAfter(Duration.ofMinutes(11)).sign()));
        GateOutcome early = gate.check(candidate(sigstore.signing(PAYLOAD, RELENG, FEDORA).loggedAfter(Duration.ofMinutes(-1)).sign()));

        Instant issued = KeylessSigner.ISSUED;
        String validity = " (" + issued + " to " + issued.plus(Duration.ofMinutes(10)) + ")";
        assertThat(late.reason()).isEqualTo("signed at " + issued.plus(Duration.ofMinutes(11)) + ", outside the certificate's validity" + validity);
        assertThat(early.reason()).isEqualTo("signed at " + issued.minus(Duration.ofMinutes(1)) + ", outside the certificate's validity" + validity);
    }

    @Test
    void aKeylessSignatureWithoutItsBundleIsRefused() {
        SimpleSigner.Signed unlogged = sigstore.sign(PAYLOAD, RELENG, FEDORA).with(KeylessSigner.BUNDLE_ANNOTATION, Optional.empty());

        assertThat(gate.check(candidate(unlogged)).reason()).isEqualTo("keyless signature without a transparency log bundle");
    }

    @Test
    void aSignatureByAnotherKeyThanTheCertificatesIsRefused() {
        SimpleSigner.Signed honest = sigstore.sign(PAYLOAD, RELENG, FEDORA);
        SimpleSigner.Signed swapped = new SimpleSigner.Signed(PAYLOAD, sigstore.sign(PAYLOAD, RELENG, FEDORA).signature(),
                honest.annotations());

        assertThat(gate.check(candidate(swapped)).reason()).isEqualTo("signature does not verify with the certificate's key");
    }

    @Test
    void theSignedPayloadMustStillNameThePromotedDigest() {
        byte[] elsewhere = SimpleSigner.payload("registry.example.org/candidate/app:1", OTHER);

        assertThat(gate.check(candidate(sigstore.sign(elsewhere, RELENG, FEDORA))).reason())
                .isEqualTo("signature over " + OTHER + ", not the promoted " + PROMOTED);
    }

    @Test
    void notByPusherRefusesTheIdentityOfWhoeverPushedTheCandidate() {
        RequiredSignature separated = gate(sigstore, new KeylessIdentity(FEDORA, RELENG, Optional.of("releng")), true);
        SimpleSigner.Signed signed = sigstore.sign(PAYLOAD, RELENG, FEDORA);

        GateOutcome pushedByReleng = separated.check(candidate(Optional.of("releng"), signed));

        assertThat(pushedByReleng.passed()).isFalse();
        assertThat(pushedByReleng.reason())
                .isEqualTo("signature by " + RELENG + " (" + FEDORA + "), keyless, whose owner releng pushed the candidate");
        assertThat(separated.check(candidate(Optional.of("robot$osbs"), signed)).passed()).isTrue();
        assertThatThrownBy(() -> gate(sigstore, new KeylessIdentity(FEDORA, RELENG, Optional.empty()), true))
                .hasMessageContaining("needs an owner for every key and identity");
    }

    @Test
    void annotationsOverTheirLimitsAreNotParsed() {
        SimpleSigner.Signed honest = sigstore.sign(PAYLOAD, RELENG, FEDORA);
        String chain = honest.annotations().get(KeylessSigner.CHAIN_ANNOTATION);
        String padded = chain + "\n".repeat(Limits.MAX_SIGNATURE_CHAIN_BYTES - chain.length() + 1);
        String certificate = "x".repeat(Limits.MAX_SIGNATURE_CERTIFICATE_BYTES + 1);
        String bundle = " ".repeat(Limits.MAX_SIGNATURE_BUNDLE_BYTES + 1);

        assertThat(gate.check(candidate(honest.with(KeylessSigner.CHAIN_ANNOTATION, Optional.of(padded)))).reason())
                .isEqualTo("dev.sigstore.cosign/chain annotation of " + (Limits.MAX_SIGNATURE_CHAIN_BYTES + 1)
                        + " bytes is over the limit of " + Limits.MAX_SIGNATURE_CHAIN_BYTES);
        assertThat(gate.check(candidate(honest.with(KeylessSigner.CERTIFICATE_ANNOTATION, Optional.of(certificate)))).reason())
                .startsWith("dev.sigstore.cosign/certificate annotation of ");
        assertThat(gate.check(candidate(honest.with(KeylessSigner.BUNDLE_ANNOTATION, Optional.of(bundle)))).reason())
                .startsWith("dev.sigstore.cosign/bundle annotation of ");
        assertThat(gate.check(candidate(honest.with(KeylessSigner.CHAIN_ANNOTATION,
                Optional.of(chain + "\n".repeat(Limits.MAX_SIGNATURE_CHAIN_BYTES - chain.length()))))).passed())
                .as("at the limit").isTrue();
    }

    @Test
    void keysAndKeylessIdentitiesCombineAndEachSignatureIsJudgedByItsKind() {
        SimpleSigner release = SimpleSigner.generate();
        SigningKey releaseKey = SigningKey.fromPem("release.pub", release.publicKeyPem());
        RequiredSignature both = new RequiredSignature(new Signers(List.of(releaseKey), gate.signers().keyless()), false);
        RequiredSignature keysOnly = new RequiredSignature(List.of(releaseKey));
        SimpleSigner.Signed keyless = sigstore.sign(PAYLOAD, RELENG, FEDORA);

        assertThat(both.check(candidate(release.signed(PAYLOAD))).reason()).isEqualTo("signed by release.pub (tag sha256-x.sig)");
        assertThat(both.check(candidate(keyless)).passed()).isTrue();
        assertThat(both.check(candidate(keyless)).gate()).isEqualTo("signature by release.pub or " + RELENG + " (" + FEDORA + ")");
        assertThat(keysOnly.check(candidate(keyless)).reason()).isEqualTo("keyless signature, and no keyless identity is configured");
        assertThat(gate.check(candidate(release.signed(PAYLOAD))).reason()).isEqualTo("signature by an unknown key");
    }

    static RequiredSignature gate(KeylessSigner sigstore, KeylessIdentity identity, boolean notByPusher) {
        return new RequiredSignature(new Signers(List.of(), Optional.of(new KeylessTrust(
                FulcioCertificate.parsePem(sigstore.fulcioRootPem()),
                List.of(SigningKey.fromPem("rekor.pub", sigstore.rekorPublicKeyPem())), List.of(identity)))), notByPusher);
    }

    private static SignatureLayer layer(SimpleSigner.Signed signed) {
        Map<String, String> annotations = new HashMap<>(signed.annotations());
        annotations.put(SignatureLayers.SIGNATURE_ANNOTATION, signed.signature());
        Descriptor descriptor = new Descriptor(SignatureLayers.SIMPLE_SIGNING_MEDIA_TYPE,
                Digest.of(DigestAlgorithm.SHA256, signed.payload()), signed.payload().length, Optional.empty(),
                annotations, List.of());
        return new SignatureLayer("tag sha256-x.sig", descriptor, Optional.of(signed.payload()));
    }

    private static PromotionCandidate candidate(SimpleSigner.Signed... signatures) {
        return candidate(Optional.empty(), signatures);
    }

    private static PromotionCandidate candidate(Optional<String> pushedBy, SimpleSigner.Signed... signatures) {
        List<SignatureLayer> layers = java.util.Arrays.stream(signatures).map(KeylessSignatureTest::layer).toList();
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new PromotionCandidate(RepositoryName.parse("candidate/app"), PROMOTED,
                ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8), Optional.of(MediaTypes.OCI_INDEX)),
                now, pushedBy, List.of("1"), List.of(), List::of, () -> layers, RepositoryName.parse("app"), Map.of(), now);
    }
}
