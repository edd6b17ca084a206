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
import io.berth.testing.SimpleSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code required-signatures} gate: only a valid simple-signing signature by a configured key
 * over the promoted digest passes, and each refusal says what failed.
 */
class RequiredSignatureTest {
    private static final Digest PROMOTED = Digest.of(DigestAlgorithm.SHA256, "the candidate".getBytes(StandardCharsets.UTF_8));
    private static final Digest OTHER = Digest.of(DigestAlgorithm.SHA256, "another image".getBytes(StandardCharsets.UTF_8));

    private final SimpleSigner release = SimpleSigner.generate();
    private final SimpleSigner stranger = SimpleSigner.generate();
    private final RequiredSignature gate = new RequiredSignature(List.of(SigningKey.fromPem("release.pub", release.publicKeyPem())));

    @Test
    void aSignatureByTheKeyOverThePromotedDigestPasses() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);

        GateOutcome outcome = gate.check(candidate(layer(payload, release.sign(payload))));

        assertThat(outcome.passed()).as(outcome.reason()).isTrue();
        assertThat(outcome.gate()).isEqualTo("signature by release.pub");
        assertThat(outcome.reason()).isEqualTo("signed by release.pub (tag sha256-x.sig)");
    }

    @Test
    void noSignatureIsRefused() {
        GateOutcome outcome = gate.check(candidate());

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("no signature");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);

        GateOutcome outcome = gate.check(candidate(layer(payload, stranger.sign(payload))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("signature by an unknown key");
    }

    @Test
    void aSignatureOverAnotherDigestIsRefused() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", OTHER);

        GateOutcome outcome = gate.check(candidate(layer(payload, release.sign(payload))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("signature over " + OTHER + ", not the promoted " + PROMOTED);
    }

    @Test
    void aPayloadChangedAfterSigningIsRefused() {
        byte[] signed = SimpleSigner.payload("registry.example.org/candidate/app:1", OTHER);
        byte[] tampered = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);

        GateOutcome outcome = gate.check(candidate(layer(tampered, release.sign(signed))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("signature by an unknown key");
    }

    @Test
    void payloadBytesThatDoNotMatchTheLayerDigestAreRefused() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);
        SignatureLayer honest = layer(payload, release.sign(payload));
        byte[] swapped = Arrays.copyOf(payload, payload.length);
        swapped[swapped.length - 2] ^= 1;

        GateOutcome outcome = gate.check(candidate(new SignatureLayer(honest.foundIn(), honest.layer(), Optional.of(swapped))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).isEqualTo("payload digest mismatch");
    }

    @Test
    void aPayloadOfAnotherTypeIsRefused() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED, "atomic container signature");

        GateOutcome outcome = gate.check(candidate(layer(payload, release.sign(payload))));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).contains("signed payload type is 'atomic container signature'");
    }

    @Test
    void anOversizedPayloadIsNotReadAndRefused() {
        Descriptor huge = new Descriptor(SignatureLayers.SIMPLE_SIGNING_MEDIA_TYPE, OTHER,
                Limits.MAX_SIGNATURE_PAYLOAD_BYTES + 1L, Optional.empty(),
                Map.of(SignatureLayers.SIGNATURE_ANNOTATION, "AAAA"), List.of());

        GateOutcome outcome = gate.check(candidate(new SignatureLayer("tag sha256-x.sig", huge, Optional.empty())));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.reason()).contains("over the limit of " + Limits.MAX_SIGNATURE_PAYLOAD_BYTES);
    }

    @Test
    void oneGoodSignatureAmongBadOnesIsEnoughAndEveryDistinctFailureIsNamedOtherwise() {
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);
        byte[] other = SimpleSigner.payload("registry.example.org/candidate/app:1", OTHER);
        SignatureLayer unknown = layer(payload, stranger.sign(payload));
        SignatureLayer elsewhere = layer(other, release.sign(other));

        assertThat(gate.check(candidate(unknown, elsewhere, layer(payload, release.sign(payload)))).passed()).isTrue();
        assertThat(gate.check(candidate(unknown, elsewhere, unknown)).reason())
                .isEqualTo("signature by an unknown key; signature over " + OTHER + ", not the promoted " + PROMOTED);
    }

    @Test
    void notByPusherRefusesASignatureByTheKeyOfWhoeverPushedTheCandidate() {
        SigningKey robotKey = SigningKey.fromPem("osbs.pub", stranger.publicKeyPem()).ownedBy("robot$osbs");
        SigningKey releaseKey = SigningKey.fromPem("release.pub", release.publicKeyPem()).ownedBy("releng");
        RequiredSignature separated = new RequiredSignature(List.of(robotKey, releaseKey), true);
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1", PROMOTED);
        SignatureLayer byRobot = layer(payload, stranger.sign(payload));

        GateOutcome pushedByRobot = separated.check(candidate(Optional.of("robot$osbs"), byRobot));

        assertThat(pushedByRobot.passed()).isFalse();
        assertThat(pushedByRobot.gate()).isEqualTo("signature by osbs.pub or release.pub, not the pusher's");
        assertThat(pushedByRobot.reason()).isEqualTo("signature by osbs.pub, whose owner robot$osbs pushed the candidate");
        assertThat(separated.check(candidate(Optional.of("robot$osbs"), byRobot, layer(payload, release.sign(payload)))).passed())
                .as("the release engineer's signature counts").isTrue();
        assertThat(separated.check(candidate(Optional.of("robot$koji"), byRobot)).passed()).as("pushed by someone else").isTrue();
        assertThatThrownBy(() -> new RequiredSignature(List.of(SigningKey.fromPem("release.pub", release.publicKeyPem())), true))
                .hasMessageContaining("needs an owner for every key");
    }

    @Test
    void keysAreEcdsaOrLongEnoughRsaInPublicKeyPem() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        String weak = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> SigningKey.fromPem("weak.pub", weak)).hasMessageContaining("at least 2048");
        assertThatThrownBy(() -> SigningKey.fromPem("empty.pub", "not a key")).hasMessageContaining("no -----BEGIN PUBLIC KEY-----");
        assertThat(SigningKey.fromPem("release.pub", release.publicKeyPem()).key()).isEqualTo(release.keys().getPublic());
    }

    private static SignatureLayer layer(byte[] payload, String signature) {
        Descriptor descriptor = new Descriptor(SignatureLayers.SIMPLE_SIGNING_MEDIA_TYPE,
                Digest.of(DigestAlgorithm.SHA256, payload), payload.length, Optional.empty(),
                Map.of(SignatureLayers.SIGNATURE_ANNOTATION, signature), List.of());
        return new SignatureLayer("tag sha256-x.sig", descriptor, Optional.of(payload));
    }

    private static PromotionCandidate candidate(SignatureLayer... layers) {
        return candidate(Optional.empty(), layers);
    }

    private static PromotionCandidate candidate(Optional<String> pushedBy, SignatureLayer... layers) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}";
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new PromotionCandidate(RepositoryName.parse("candidate/app"), PROMOTED,
                ManifestParser.parse(manifest.getBytes(StandardCharsets.UTF_8), Optional.of(MediaTypes.OCI_INDEX)),
                now, pushedBy, List.of("1"), List.of(), List::of, () -> List.of(layers), RepositoryName.parse("app"), Map.of(), now);
    }
}
