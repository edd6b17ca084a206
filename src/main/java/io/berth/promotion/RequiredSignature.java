package io.berth.promotion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The candidate carries a sigstore simple-signing signature, by one of {@code signers}, over its own
 * digest. A signature counts when its payload blob's bytes match the layer's digest, the layer's
 * {@value SignatureLayers#SIGNATURE_ANNOTATION} is a valid signature of those bytes by a trusted
 * signer (a key, or a keyless identity: {@link Signers}), the payload's {@code critical.type} is
 * {@value #PAYLOAD_TYPE} and its {@code
 * critical.image.docker-manifest-digest} is the promoted digest. The payload's {@code
 * docker-reference} names where the signer pushed; it is not compared, as the stable name differs.
 *
 * <p>With {@code notByPusher} (separation of duties), a signature counts only when its signer's owner
 * is not who pushed the candidate: a build robot that pushes candidates cannot also release them
 * with a key or identity it holds. Every key and identity must then declare its owner; a candidate whose pusher is not known
 * (pushed anonymously) is judged by the signature alone.
 *
 * <p>Payload format: the "simple signing" of containers/image ({@code docs/containers-signature.5.md})
 * as cosign and skopeo write it.
 */
public record RequiredSignature(Signers signers, boolean notByPusher) implements Gate {
    /** The {@code critical.type} of a container image signature payload. */
    public static final String PAYLOAD_TYPE = "cosign container image signature";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** Signatures by any of {@code keys}, whoever pushed the candidate. */
    public RequiredSignature(List<SigningKey> keys) {
        this(keys, false);
    }

    /** Signatures by any of {@code keys}, not the pusher's with {@code notByPusher}. */
    public RequiredSignature(List<SigningKey> keys, boolean notByPusher) {
        this(Signers.of(keys), notByPusher);
    }

    public RequiredSignature {
        if (notByPusher && !signers.everyOwnerDeclared()) {
            throw new IllegalArgumentException("required-signatures with not-by-pusher needs an owner for every key and identity");
        }
    }

    /** The public keys whose signatures count. */
    public List<SigningKey> keys() {
        return signers.keys();
    }

    @Override
    public GateOutcome check(PromotionCandidate candidate) {
        String name = "signature by " + String.join(" or ", signers.names()) + (notByPusher ? ", not the pusher's" : "");
        List<SignatureLayer> layers = candidate.signatures().get();
        if (layers.isEmpty()) {
            return new GateOutcome(name, false, "no signature");
        }
        Set<String> failures = new LinkedHashSet<>();
        for (SignatureLayer layer : layers) {
            Verdict verdict = verify(layer, candidate.digest());
            if (verdict.signer().isPresent() && notByPusher && verdict.signer().get().owner().equals(candidate.pushedBy())) {
                failures.add("signature by " + verdict.signer().get().name() + ", whose owner "
                        + candidate.pushedBy().get() + " pushed the candidate");
                continue;
            }
            if (verdict.signer().isPresent()) {
                return new GateOutcome(name, true, "signed by " + verdict.signer().get().name() + " (" + layer.foundIn() + ")");
            }
            failures.add(verdict.failure());
        }
        return new GateOutcome(name, false, String.join("; ", failures));
    }

    /** The signer that made a valid signature over {@code promoted}, or why there is none. */
    record Verdict(Optional<Signer> signer, String failure) {
    }

    Verdict verify(SignatureLayer layer, Digest promoted) {
        if (layer.layer().size() > Limits.MAX_SIGNATURE_PAYLOAD_BYTES) {
            return failed("signature payload of " + layer.layer().size() + " bytes is over the limit of "
                    + Limits.MAX_SIGNATURE_PAYLOAD_BYTES);
        }
        if (layer.payload().isEmpty()) {
            return failed("signature payload " + layer.layer().digest() + " is missing");
        }
        byte[] payload = layer.payload().get();
        if (payload.length != layer.layer().size()
                || !Digest.of(layer.layer().digest().algorithm(), payload).equals(layer.layer().digest())) {
            return failed("payload digest mismatch");
        }
        String encoded = layer.layer().annotations().get(SignatureLayers.SIGNATURE_ANNOTATION);
        if (encoded == null || encoded.isEmpty()) {
            return failed("signature layer without " + SignatureLayers.SIGNATURE_ANNOTATION);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException notBase64) {
            return failed("signature is not base64");
        }
        Signer signer;
        switch (signers.identify(payload, signature, layer.layer().annotations())) {
            case Signers.Trusted trusted -> signer = trusted.signer();
            case Signers.Untrusted untrusted -> {
                return failed(untrusted.reason());
            }
        }
        JsonNode critical;
        try {
            critical = JSON.readTree(payload).path("critical");
        } catch (IOException unreadable) {
            return failed("signed payload is not JSON");
        }
        String type = text(critical.path("type"));
        if (!type.equals(PAYLOAD_TYPE)) {
            return failed("signed payload type is '" + type + "', not '" + PAYLOAD_TYPE + "'");
        }
        String signed = text(critical.path("image").path("docker-manifest-digest"));
        if (!signed.equals(promoted.toString())) {
            return failed("signature over " + (signed.isEmpty() ? "no digest" : signed) + ", not the promoted " + promoted);
        }
        return new Verdict(Optional.of(signer), "");
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : "";
    }

    private static Verdict failed(String reason) {
        return new Verdict(Optional.empty(), reason);
    }
}
