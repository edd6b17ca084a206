package io.berth.promotion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import io.berth.signing.Dsse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The candidate carries a signed in-toto attestation (a test report, say) about its own digest, of
 * {@code predicateType}, by one of {@code keys}, as {@code cosign attest --key … --type … --predicate
 * …} writes it: a DSSE envelope ({@link Dsse}) whose payload is the statement
 *
 * <pre>{@code
 * {"_type": "https://in-toto.io/Statement/v1",
 *  "subject": [{"name": "…", "digest": {"sha256": "<hex>"}}],
 *  "predicateType": "https://berth.dev/test-result/v1",
 *  "predicate": {"result": "passed", …}}
 * }</pre>
 *
 * <p>An attestation counts when the envelope's payload type is {@value Dsse#IN_TOTO_PAYLOAD_TYPE},
 * one of its signatures over the pre-authentication encoding verifies with one of the keys, the
 * statement's {@code _type} is in-toto's (v0.1 or v1), a subject's digest is the promoted one, the
 * {@code predicateType} is the configured one and, for every entry of {@code predicate}, the value
 * at that JSON Pointer (RFC 6901) into the predicate, as text, is the wanted one ({@code "*"}: any
 * non-empty value). Only the signed payload is read: the layer's annotations are anyone's to write.
 *
 * <p>{@code notByPusher} is separation of duties, as for {@link RequiredSignature}: an attestation
 * counts only when its key's owner is not who pushed the candidate.
 *
 * @param predicate JSON Pointer → wanted value, judged in this order
 */
public record RequiredAttestation(String predicateType, Signers signers, boolean notByPusher,
                                  Map<String, String> predicate) implements Gate {
    /** The {@code _type}s of in-toto statements (in-toto attestation framework, v0.1 and v1). */
    public static final Set<String> STATEMENT_TYPES = Set.of("https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1");

    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** Attestations by any of {@code keys}, none keyless. */
    public RequiredAttestation(String predicateType, List<SigningKey> keys, boolean notByPusher, Map<String, String> predicate) {
        this(predicateType, Signers.of(keys), notByPusher, predicate);
    }

    public RequiredAttestation {
        if (predicateType == null || predicateType.isBlank()) {
            throw new IllegalArgumentException("required-attestations needs a predicate-type");
        }
        if (signers.keys().isEmpty() && signers.keyless().isEmpty()) {
            throw new IllegalArgumentException("required-attestations needs at least one key, or keyless identities");
        }
        if (notByPusher && !signers.everyOwnerDeclared()) {
            throw new IllegalArgumentException("required-attestations with not-by-pusher needs an owner for every key and identity");
        }
        predicate = Collections.unmodifiableMap(new LinkedHashMap<>(predicate));
        for (Map.Entry<String, String> condition : predicate.entrySet()) {
            if (!condition.getKey().startsWith("/")) {
                throw new IllegalArgumentException("required-attestations predicate key '" + condition.getKey()
                        + "' is not a JSON Pointer");
            }
            JsonPointer.compile(condition.getKey());
            if (condition.getValue().isEmpty()) {
                throw new IllegalArgumentException("required-attestations predicate " + condition.getKey() + " needs a value");
            }
        }
    }

    /** The public keys whose attestations count (keyless identities aside). */
    public List<SigningKey> keys() {
        return signers.keys();
    }

    @Override
    public GateOutcome check(PromotionCandidate candidate) {
        String name = "attestation " + predicateType
                + (predicate.isEmpty() ? "" : " with " + predicate)
                + " by " + String.join(" or ", signers.names())
                + (notByPusher ? ", not the pusher's" : "");
        Set<String> failures = new LinkedHashSet<>();
        for (AttestationLayer layer : candidate.attestations().get()) {
            switch (verify(layer, candidate.digest())) {
                case Attested attested -> {
                    Optional<Signer> counted = attested.signers().stream()
                            .filter(key -> !notByPusher || candidate.pushedBy().isEmpty() || !key.owner().equals(candidate.pushedBy()))
                            .findFirst();
                    if (counted.isPresent()) {
                        return new GateOutcome(name, true, "attested by " + counted.get().name() + " (" + layer.foundIn() + ")");
                    }
                    failures.add("attestation by " + attested.signers().getFirst().name() + ", whose owner "
                            + candidate.pushedBy().orElseThrow() + " pushed the candidate");
                }
                case OfAnotherType other -> {
                    // a signed statement of another predicate type (provenance, an SBOM): not this gate's
                }
                case Failed failed -> failures.add(failed.reason());
            }
        }
        return new GateOutcome(name, false, failures.isEmpty()
                ? "no attestation of type " + predicateType : String.join("; ", failures));
    }

    /** What one envelope proves for this gate. */
    sealed interface Verdict {
    }

    /** A valid attestation of this gate's type about the promoted digest; {@code signers}: everyone trusted who signed it. */
    record Attested(List<Signer> signers) implements Verdict {
    }

    /** A valid statement, signed by a key, of another predicate type. */
    record OfAnotherType() implements Verdict {
    }

    /** Why the envelope does not count. */
    record Failed(String reason) implements Verdict {
    }

    Verdict verify(AttestationLayer layer, Digest promoted) {
        if (layer.layer().size() > Limits.MAX_ATTESTATION_ENVELOPE_BYTES) {
            return new Failed("attestation envelope of " + layer.layer().size() + " bytes is over the limit of "
                    + Limits.MAX_ATTESTATION_ENVELOPE_BYTES);
        }
        if (layer.envelope().isEmpty()) {
            return new Failed("attestation envelope " + layer.layer().digest() + " is missing");
        }
        DsseEnvelope.Envelope envelope;
        try {
            envelope = DsseEnvelope.parse(layer.envelope().get());
        } catch (DsseEnvelope.Unreadable unreadable) {
            return new Failed(unreadable.getMessage());
        }
        if (!envelope.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
            return new Failed("envelope payload type is '" + envelope.payloadType() + "', not '" + Dsse.IN_TOTO_PAYLOAD_TYPE + "'");
        }
        SignedContent content = new SignedContent.Envelope(envelope.payloadType(), envelope.payload());
        List<Signer> trusted = new ArrayList<>();
        Set<String> untrusted = new LinkedHashSet<>();
        for (byte[] signature : envelope.signatures()) {
            switch (signers.identify(content, signature, layer.layer().annotations())) {
                case Signers.Trusted signer -> trusted.add(signer.signer());
                case Signers.Untrusted reason -> untrusted.add(reason.reason().replace("signature", "attestation"));
            }
        }
        if (trusted.isEmpty()) {
            return new Failed(String.join("; ", untrusted));
        }
        JsonNode statement;
        try {
            statement = JSON.readTree(envelope.payload());
        } catch (IOException unreadable) {
            return new Failed("attestation statement is not JSON");
        }
        if (statement == null || !statement.isObject()) {
            return new Failed("attestation statement is not JSON");
        }
        String type = text(statement.path("_type")).orElse("");
        if (!STATEMENT_TYPES.contains(type)) {
            return new Failed("statement type is '" + type + "', not an in-toto statement");
        }
        if (!text(statement.path("predicateType")).orElse("").equals(predicateType)) {
            return new OfAnotherType();
        }
        List<String> about = subjectDigests(statement, promoted);
        if (!about.contains(promoted.toString())) {
            return new Failed("attestation about " + (about.isEmpty() ? "no " + promoted.algorithm().identifier() + " digest"
                    : String.join(", ", about)) + ", not the promoted " + promoted);
        }
        JsonNode body = statement.path("predicate");
        for (Map.Entry<String, String> condition : predicate.entrySet()) {
            Optional<String> actual = text(body.at(JsonPointer.compile(condition.getKey())));
            if (actual.isEmpty()) {
                return new Failed("predicate has no value at " + condition.getKey());
            }
            if (condition.getValue().equals(Gates.ANY_VALUE) && actual.get().isEmpty()) {
                return new Failed("predicate " + condition.getKey() + " is empty");
            }
            if (!condition.getValue().equals(Gates.ANY_VALUE) && !condition.getValue().equals(actual.get())) {
                return new Failed("predicate " + condition.getKey() + " is '" + actual.get() + "', not '" + condition.getValue() + "'");
            }
        }
        return new Attested(List.copyOf(trusted));
    }

    /** The subjects' digests of the promoted digest's algorithm, as {@code sha256:<hex>}. */
    private static List<String> subjectDigests(JsonNode statement, Digest promoted) {
        List<String> digests = new ArrayList<>();
        for (JsonNode subject : statement.path("subject")) {
            text(subject.path("digest").path(promoted.algorithm().identifier()))
                    .ifPresent(encoded -> digests.add(promoted.algorithm().identifier() + ":" + encoded));
        }
        return digests;
    }

    /** A string, number or boolean as text; nothing for an object, an array, null or a missing node. */
    private static Optional<String> text(JsonNode node) {
        if (node.isTextual()) {
            return Optional.of(node.textValue());
        }
        return node.isNumber() || node.isBoolean() ? Optional.of(node.asText()) : Optional.empty();
    }
}
