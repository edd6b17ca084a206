package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Limits;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.signing.Dsse;
import io.berth.testing.InTotoAttester;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code required-attestations} gate: only an in-toto statement about the promoted digest, of
 * the configured predicate type, whose predicate has the wanted values, in a DSSE envelope signed by
 * a configured key, passes; each refusal says what failed.
 */
class RequiredAttestationTest {
    private static final Digest PROMOTED = Digest.of(DigestAlgorithm.SHA256, "the candidate".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.of(DigestAlgorithm.SHA256, "another image".getBytes(StandardCharsets.UTF_8));
    private static final String TEST_RESULT = InTotoAttester.TEST_RESULT;

    private final InTotoAttester release = InTotoAttester.generate();
    private final InTotoAttester stranger = InTotoAttester.generate();
    private final SigningKey releaseKey = SigningKey.fromPem("release.pub", release.publicKeyPem());
    private final RequiredAttestation gate = new RequiredAttestation(TEST_RESULT, List.of(releaseKey), false,
            Map.of("/result", "passed"));

    @Test
    void aPassedReportAboutThePromotedDigestSignedByTheKeyPasses() {
        GateOutcome outcome = gate.check(candidate(layer(release.envelope(InTotoAttester.testReport(PROMOTED, "passed")))));

        assertThat(outcome.passed()).as(outcome.reason()).isTrue();
        assertThat(outcome.gate()).isEqualTo("attestation " + TEST_RESULT + " with {/result=passed} by release.pub");
        assertThat(outcome.reason()).isEqualTo("attested by release.pub (tag sha256-x.att)");
    }

    @Test
    void aStatementOfVersionZeroPointOneCountsAndAnotherTypeDoesNot() {
        byte[] old = InTotoAttester.statement(InTotoAttester.STATEMENT_V01, "app", PROMOTED, TEST_RESULT, "{\"result\": \"passed\"}");
        byte[] made = InTotoAttester.statement("https://example.org/Statement/v9", "app", PROMOTED, TEST_RESULT,
                "{\"result\": \"passed\"}");

        assertThat(gate.check(candidate(layer(release.envelope(old)))).passed()).isTrue();
        assertThat(gate.check(candidate(layer(release.envelope(made)))).reason())
                .isEqualTo("statement type is 'https://example.org/Statement/v9', not an in-toto statement");
    }

    @Test
    void noAttestationIsRefused() {
        GateOutcome outcome = gate.check(candidate());

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("no attestation of type " + TEST_RESULT);
    }

    @Test
    void anAttestationByAnotherKeyIsRefused() {
        GateOutcome outcome = gate.check(candidate(layer(stranger.envelope(InTotoAttester.testReport(PROMOTED, "passed")))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("attestation by an unknown key");
    }

    @Test
    void anAttestationAboutAnotherDigestIsRefused() {
        GateOutcome outcome = gate.check(candidate(layer(release.envelope(InTotoAttester.testReport(OTHER, "passed")))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("attestation about " + OTHER + ", not the promoted " + PROMOTED);
    }

    @Test
    void sha512DigestsAreComparedLikewise() {
        Digest promoted = Digest.of(DigestAlgorithm.SHA512, "the candidate".getBytes(StandardCharsets.UTF_8));
        Digest sha256 = Digest.of(DigestAlgorithm.SHA256, "the candidate".getBytes(StandardCharsets.UTF_8));

        assertThat(gate.check(candidate(promoted, Optional.empty(),
                layer(release.envelope(InTotoAttester.testReport(promoted, "passed"))))).passed()).isTrue();
        assertThat(gate.check(candidate(promoted, Optional.empty(),
                layer(release.envelope(InTotoAttester.testReport(sha256, "passed"))))).reason())
                .isEqualTo("attestation about no sha512 digest, not the promoted " + promoted);
    }

    @Test
    void anAttestationOfAnotherPredicateTypeDoesNotCount() {
        byte[] provenance = InTotoAttester.statement(InTotoAttester.STATEMENT_V1, "app", PROMOTED,
                "https://slsa.dev/provenance/v1", "{\"result\": \"passed\"}");

        GateOutcome outcome = gate.check(candidate(layer(release.envelope(provenance))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("no attestation of type " + TEST_RESULT);
    }

    @Test
    void aPredicateValueOtherThanTheWantedOneIsRefused() {
        GateOutcome outcome = gate.check(candidate(layer(release.envelope(InTotoAttester.testReport(PROMOTED, "failed")))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("predicate /result is 'failed', not 'passed'");
    }

    @Test
    void predicateConditionsPointAnywhereAndCompareNumbersAndBooleansAsText() {
        byte[] statement = InTotoAttester.statement(InTotoAttester.STATEMENT_V1, "app", PROMOTED, TEST_RESULT,
                "{\"summary\": {\"failed\": 0, \"flaky\": false}, \"runs\": [{\"id\": \"r-1\"}], \"a/b\": \"x\"}");
        RequiredAttestation strict = new RequiredAttestation(TEST_RESULT, List.of(releaseKey), false,
                Map.of("/summary/failed", "0", "/summary/flaky", "false", "/runs/0/id", "*", "/a~1b", "x"));
        RequiredAttestation missing = new RequiredAttestation(TEST_RESULT, List.of(releaseKey), false, Map.of("/summary", "*"));

        assertThat(strict.check(candidate(layer(release.envelope(statement)))).passed()).isTrue();
        assertThat(missing.check(candidate(layer(release.envelope(statement)))).reason())
                .as("an object has no value as text").isEqualTo("predicate has no value at /summary");
    }

    @Test
    void aPayloadChangedAfterSigningIsRefused() {
        byte[] signed = InTotoAttester.testReport(PROMOTED, "failed");
        byte[] tampered = InTotoAttester.testReport(PROMOTED, "passed");
        byte[] envelope = InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, tampered,
                List.of(release.sign(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, signed)));

        GateOutcome outcome = gate.check(candidate(layer(envelope)));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("attestation by an unknown key");
    }

    @Test
    void thePayloadTypeIsSignedAndMustBeInToto() {
        byte[] statement = InTotoAttester.testReport(PROMOTED, "passed");
        byte[] otherType = InTotoAttester.envelope("application/json", statement, List.of(release.sign("application/json", statement)));
        byte[] swapped = InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement,
                List.of(release.sign("application/json", statement)));

        assertThat(gate.check(candidate(layer(otherType))).reason())
                .isEqualTo("envelope payload type is 'application/json', not 'application/vnd.in-toto+json'");
        assertThat(gate.check(candidate(layer(swapped))).reason()).isEqualTo("attestation by an unknown key");
    }

    @Test
    void anUnsignedOrMalformedEnvelopeIsRefused() {
        byte[] statement = InTotoAttester.testReport(PROMOTED, "passed");

        assertThat(gate.check(candidate(layer(InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement, List.of()))))
                .reason()).isEqualTo("envelope has no signature");
        assertThat(gate.check(candidate(layer("a test report: passed".getBytes(StandardCharsets.UTF_8)))).reason())
                .isEqualTo("envelope is not JSON");
        assertThat(gate.check(candidate(layer("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"!!\",\"signatures\":[]}"
                .getBytes(StandardCharsets.UTF_8)))).reason()).isEqualTo("envelope payload is not base64");
    }

    @Test
    void duplicateKeysInTheEnvelopeOrInTheSignedStatementAreRefused() {
        String honest = new String(release.envelope(InTotoAttester.testReport(PROMOTED, "passed")), StandardCharsets.UTF_8);
        byte[] twoPayloads = ("{\"payload\":\"e30=\"," + honest.substring(1)).getBytes(StandardCharsets.UTF_8);
        String statement = new String(InTotoAttester.testReport(PROMOTED, "passed"), StandardCharsets.UTF_8);
        byte[] twoPredicates = (statement.substring(0, statement.length() - 1) + ",\"predicate\":{\"result\":\"failed\"}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(gate.check(candidate(layer(twoPayloads))).reason()).isEqualTo("envelope is not JSON");
        assertThat(gate.check(candidate(layer(release.envelope(twoPredicates)))).reason())
                .as("readers keeping the first or the last predicate would disagree")
                .isEqualTo("attestation statement is not JSON");
    }

    @Test
    void anOversizedEnvelopeIsNotReadAndRefused() {
        Descriptor huge = new Descriptor(Dsse.ENVELOPE_MEDIA_TYPE, OTHER, Limits.MAX_ATTESTATION_ENVELOPE_BYTES + 1L,
                Optional.empty(), Map.of("predicateType", TEST_RESULT), List.of());

        GateOutcome outcome = gate.check(candidate(new AttestationLayer("tag sha256-x.att", huge, Optional.empty())));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("attestation envelope of " + (Limits.MAX_ATTESTATION_ENVELOPE_BYTES + 1)
                + " bytes is over the limit of " + Limits.MAX_ATTESTATION_ENVELOPE_BYTES);
    }

    @Test
    void anEnvelopeWithMoreSignaturesThanTheLimitIsRefusedUnverified() {
        byte[] statement = InTotoAttester.testReport(PROMOTED, "passed");
        List<String> signatures = new java.util.ArrayList<>(java.util.Collections.nCopies(Limits.MAX_ATTESTATION_SIGNATURES,
                stranger.sign(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement)));
        signatures.add(release.sign(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement));

        GateOutcome outcome = gate.check(candidate(layer(InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement,
                signatures))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("envelope has " + (Limits.MAX_ATTESTATION_SIGNATURES + 1)
                + " signatures, over the limit of " + Limits.MAX_ATTESTATION_SIGNATURES);
        assertThat(gate.check(candidate(layer(InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, statement,
                signatures.subList(1, signatures.size()))))).passed()).as("a signature by the key among a few counts").isTrue();
    }

    @Test
    void oneGoodAttestationAmongBadOnesIsEnoughAndEveryDistinctFailureIsNamedOtherwise() {
        AttestationLayer unknown = layer(stranger.envelope(InTotoAttester.testReport(PROMOTED, "passed")));
        AttestationLayer failed = layer(release.envelope(InTotoAttester.testReport(PROMOTED, "failed")));
        AttestationLayer passed = layer(release.envelope(InTotoAttester.testReport(PROMOTED, "passed")));

        assertThat(gate.check(candidate(unknown, failed, passed)).passed()).isTrue();
        assertThat(gate.check(candidate(unknown, failed, unknown)).reason())
                .isEqualTo("attestation by an unknown key; predicate /result is 'failed', not 'passed'");
    }

    @Test
    void notByPusherRefusesAnAttestationByTheKeyOfWhoeverPushedTheCandidate() {
        SigningKey robotKey = SigningKey.fromPem("osbs.pub", stranger.publicKeyPem()).ownedBy("robot$osbs");
        RequiredAttestation separated = new RequiredAttestation(TEST_RESULT, List.of(robotKey, releaseKey.ownedBy("releng")), true,
                Map.of("/result", "passed"));
        AttestationLayer byRobot = layer(stranger.envelope(InTotoAttester.testReport(PROMOTED, "passed")));

        GateOutcome pushedByRobot = separated.check(candidate(PROMOTED, Optional.of("robot$osbs"), byRobot));

        assertThat(pushedByRobot.passed()).isFalse();
        assertThat(pushedByRobot.gate()).endsWith("by osbs.pub or release.pub, not the pusher's");
        assertThat(pushedByRobot.reason()).isEqualTo("attestation by osbs.pub, whose owner robot$osbs pushed the candidate");
        assertThat(separated.check(candidate(PROMOTED, Optional.of("robot$osbs"), byRobot,
                layer(release.envelope(InTotoAttester.testReport(PROMOTED, "passed"))))).passed())
                .as("the release engineer's attestation counts").isTrue();
        assertThat(separated.check(candidate(PROMOTED, Optional.of("robot$koji"), byRobot)).passed())
                .as("pushed by someone else").isTrue();
        assertThat(separated.check(candidate(PROMOTED, Optional.empty(), byRobot)).passed())
                .as("pushed anonymously: judged by the attestation alone").isTrue();
    }

    @Test
    void theGateIsConfiguredCompletely() {
        assertThatThrownBy(() -> new RequiredAttestation(" ", List.of(releaseKey), false, Map.of()))
                .hasMessageContaining("needs a predicate-type");
        assertThatThrownBy(() -> new RequiredAttestation(TEST_RESULT, List.of(), false, Map.of()))
                .hasMessageContaining("at least one key");
        assertThatThrownBy(() -> new RequiredAttestation(TEST_RESULT, List.of(releaseKey), true, Map.of()))
                .hasMessageContaining("needs an owner for every key");
        assertThatThrownBy(() -> new RequiredAttestation(TEST_RESULT, List.of(releaseKey), false, Map.of("result", "passed")))
                .hasMessageContaining("is not a JSON Pointer");
    }

    @Test
    void thePreAuthenticationEncodingIsTheOneOfTheDsseSpecification() {
        byte[] encoded = Dsse.preAuthenticationEncoding("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
        assertThat(Dsse.preAuthenticationEncoding("t", "é".getBytes(StandardCharsets.UTF_8))).as("lengths count bytes")
                .isEqualTo(InTotoAttester.preAuthenticationEncoding("t", "é".getBytes(StandardCharsets.UTF_8)))
                .startsWith("DSSEv1 1 t 2 ".getBytes(StandardCharsets.UTF_8));
    }

    private static AttestationLayer layer(byte[] envelope) {
        Descriptor descriptor = new Descriptor(Dsse.ENVELOPE_MEDIA_TYPE, Digest.of(DigestAlgorithm.SHA256, envelope),
                envelope.length, Optional.empty(), Map.of("predicateType", TEST_RESULT,
                "dev.cosignproject.cosign/signature", ""), List.of());
        return new AttestationLayer("tag sha256-x.att", descriptor, Optional.of(envelope));
    }

    private static PromotionCandidate candidate(AttestationLayer... layers) {
        return candidate(PROMOTED, Optional.empty(), layers);
    }

    private static PromotionCandidate candidate(Digest digest, Optional<String> pushedBy, AttestationLayer... layers) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PromotionCandidate(RepositoryName.parse("candidate/app"), digest,
                ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8), Optional.of(MediaTypes.OCI_INDEX)),
                now, pushedBy, List.of("1"), List.of(), List::of, List::of, () -> List.of(layers),
                RepositoryName.parse("app"), Map.of(), now);
    }
}
