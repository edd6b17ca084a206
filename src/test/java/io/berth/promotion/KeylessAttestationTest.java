package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.signing.Dsse;
import io.berth.testing.InTotoAttester;
import io.berth.testing.KeylessSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code required-attestations} with a keyless trust root: an attestation {@code cosign attest}
 * made with a Fulcio certificate counts when the certificate chains to the root and names an
 * identity, the log signed the entry, and the entry (kind {@code intoto}, or {@code dsse}) records
 * this signature, certificate and statement.
 */
class KeylessAttestationTest {
    private static final Digest PROMOTED = Digest.of(DigestAlgorithm.SHA256, "the candidate".getBytes(StandardCharsets.UTF_8));
    private static final String FEDORA = "https://accounts.fedoraproject.org";
    private static final String CI = "ci@fedoraproject.org";
    private static final byte[] PASSED = InTotoAttester.testReport(PROMOTED, "passed");

    private final KeylessSigner sigstore = KeylessSigner.generate();
    private final RequiredAttestation gate = gate(new KeylessIdentity(FEDORA, CI, Optional.of("ci")), false);

    @Test
    void aKeylessAttestationLoggedAsInTotoOrDssePasses() {
        for (String kind : List.of("intoto", "dsse")) {
            GateOutcome outcome = gate.check(candidate(Optional.empty(), sigstore.attest(PASSED, CI, FEDORA, kind, PASSED)));

            assertThat(outcome.passed()).as(kind + ": " + outcome.reason()).isTrue();
            assertThat(outcome.reason()).isEqualTo("attested by " + CI + " (" + FEDORA + "), keyless (tag sha256-x.att)");
        }
    }

    @Test
    void anEntryThatLogsAnotherStatementIsRefused() {
        byte[] failed = InTotoAttester.testReport(PROMOTED, "failed");

        GateOutcome outcome = gate.check(candidate(Optional.empty(), sigstore.attest(PASSED, CI, FEDORA, "intoto", failed)));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("transparency log entry does not name this payload");
    }

    @Test
    void anotherIdentityAnotherKindAndThePushersOwnIdentityAreRefused() {
        assertThat(gate.check(candidate(Optional.empty(), sigstore.attest(PASSED, "mallory@example.org", FEDORA, "intoto", PASSED)))
                .reason()).isEqualTo("certificate for mallory@example.org from " + FEDORA + " matches no identity");
        assertThat(gate.check(candidate(Optional.empty(), sigstore.attest(PASSED, CI, FEDORA, "hashedrekord", PASSED))).reason())
                .isEqualTo("transparency log entry of kind 'hashedrekord', not intoto or dsse");

        RequiredAttestation separated = gate(new KeylessIdentity(FEDORA, CI, Optional.of("ci")), true);
        assertThat(separated.check(candidate(Optional.of("ci"), sigstore.attest(PASSED, CI, FEDORA, "dsse", PASSED))).reason())
                .isEqualTo("attestation by " + CI + " (" + FEDORA + "), keyless, whose owner ci pushed the candidate");
    }

    @Test
    void aKeylessAttestationWithoutAKeylessTrustRootIsRefused() {
        RequiredAttestation keysOnly = new RequiredAttestation(InTotoAttester.TEST_RESULT,
                List.of(SigningKey.fromPem("release.pub", InTotoAttester.generate().publicKeyPem())), false, Map.of());

        assertThat(keysOnly.check(candidate(Optional.empty(), sigstore.attest(PASSED, CI, FEDORA, "intoto", PASSED))).reason())
                .isEqualTo("keyless attestation, and no keyless identity is configured");
    }

    private RequiredAttestation gate(KeylessIdentity identity, boolean notByPusher) {
        return new RequiredAttestation(InTotoAttester.TEST_RESULT, new Signers(List.of(), Optional.of(new KeylessTrust(
                FulcioCertificate.parsePem(sigstore.fulcioRootPem()),
                List.of(SigningKey.fromPem("rekor.pub", sigstore.rekorPublicKeyPem())), List.of(identity)))),
                notByPusher, Map.of("/result", "passed"));
    }

    private static PromotionCandidate candidate(Optional<String> pushedBy, KeylessSigner.Attestation attestation) {
        Descriptor descriptor = new Descriptor(Dsse.ENVELOPE_MEDIA_TYPE, Digest.of(DigestAlgorithm.SHA256, attestation.envelope()),
                attestation.envelope().length, Optional.empty(), attestation.annotations(), List.of());
        AttestationLayer layer = new AttestationLayer("tag sha256-x.att", descriptor, Optional.of(attestation.envelope()));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new PromotionCandidate(RepositoryName.parse("candidate/app"), PROMOTED,
                ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8), Optional.of(MediaTypes.OCI_INDEX)),
                now, pushedBy, List.of("1"), List.of(), List::of, List::of, () -> List.of(layer),
                RepositoryName.parse("app"), Map.of(), now);
    }
}
