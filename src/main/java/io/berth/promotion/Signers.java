package io.berth.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may sign: public keys, and a keyless trust root for certificates Fulcio issued to OIDC
 * identities. Given signed bytes, their signature and the annotations of the layer that carries
 * it, {@link #identify} says who signed, or why nobody trusted did. A layer with a {@value
 * SignatureLayers#CERTIFICATE_ANNOTATION} annotation is a keyless signature and is judged by the
 * keyless trust root alone; any other is judged by the keys.
 *
 * @param keys    the public keys whose signatures count
 * @param keyless the keyless trust root, if keyless signatures count
 */
public record Signers(List<SigningKey> keys, Optional<KeylessTrust> keyless) {

    /** Who signed, or why nobody trusted did. */
    public sealed interface Verdict permits Trusted, Untrusted {
    }

    /** A trusted signer made the signature. */
    public record Trusted(Signer signer) implements Verdict {
    }

    /** No trusted signer made the signature, for {@code reason}. */
    public record Untrusted(String reason) implements Verdict {
    }

    public Signers {
        keys = List.copyOf(keys);
        if (keys.isEmpty() && keyless.isEmpty()) {
            throw new IllegalArgumentException("required-signatures needs at least one key or keyless identity");
        }
    }

    /** Signatures by {@code keys} alone. */
    public static Signers of(List<SigningKey> keys) {
        return new Signers(keys, Optional.empty());
    }

    /**
     * Who made {@code signature} over {@code signed}, judging by the layer's {@code annotations}.
     *
     * @param signed      the bytes signed (a simple-signing payload)
     * @param signature   the signature, decoded from {@value SignatureLayers#SIGNATURE_ANNOTATION}
     * @param annotations the annotations of the layer carrying the signature
     */
    public Verdict identify(byte[] signed, byte[] signature, Map<String, String> annotations) {
        return identify(new SignedContent.SimpleSigning(signed), signature, annotations);
    }

    /**
     * Who made {@code signature} over {@code content}, judging by the layer's {@code annotations}: a
     * layer with a certificate is judged as keyless, any other by the keys.
     */
    public Verdict identify(SignedContent content, byte[] signature, Map<String, String> annotations) {
        if (annotations.containsKey(SignatureLayers.CERTIFICATE_ANNOTATION)) {
            return keyless.<Verdict>map(trust -> trust.verify(content, signature, annotations))
                    .orElseGet(() -> new Untrusted("keyless signature, and no keyless identity is configured"));
        }
        byte[] signed = content.signedBytes();
        return keys.stream().filter(key -> key.verifies(signed, signature)).findFirst()
                .<Verdict>map(key -> new Trusted(new Signer(key.name(), key.owner())))
                .orElseGet(() -> new Untrusted("signature by an unknown key"));
    }

    /** The keys' names and the keyless identities, for naming the gate. */
    public List<String> names() {
        List<String> names = new ArrayList<>(keys.stream().map(SigningKey::name).toList());
        keyless.ifPresent(trust -> trust.identities().forEach(identity -> names.add(identity.describe())));
        return List.copyOf(names);
    }

    /** Whether every key and every keyless identity declares its owner. */
    public boolean everyOwnerDeclared() {
        return keys.stream().allMatch(key -> key.owner().isPresent())
                && keyless.stream().flatMap(trust -> trust.identities().stream()).allMatch(identity -> identity.owner().isPresent());
    }
}
