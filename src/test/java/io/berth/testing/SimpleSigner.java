package io.berth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs images as cosign and skopeo do with a key ("simple signing"): a payload JSON naming the
 * image's digest, an ECDSA P-256 signature (ASN.1 DER, SHA-256) of the payload's bytes, pushed as
 * a layer of the manifest tagged {@code sha256-<hex>.sig} with the signature in the layer's
 * {@code dev.cosignproject.cosign/signature} annotation.
 */
public final class SimpleSigner {
    public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair keys;

    private SimpleSigner(KeyPair keys) {
        this.keys = keys;
    }

    /** A signer with a fresh ECDSA P-256 key pair. */
    public static SimpleSigner generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new SimpleSigner(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public KeyPair keys() {
        return keys;
    }

    /** The public key as {@code cosign.pub} holds it: a {@code PUBLIC KEY} PEM block. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The payload of a signature of {@code digest}, pushed as {@code reference}. */
    public static byte[] payload(String reference, Digest digest, String type) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", reference);
        critical.putObject("image").put("docker-manifest-digest", digest.toString());
        critical.put("type", type);
        root.putObject("optional").put("creator", "berth tests");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload cosign writes for {@code digest}. */
    public static byte[] payload(String reference, Digest digest) {
        return payload(reference, digest, "cosign container image signature");
    }

    /** The base64 ECDSA signature of {@code payload}. */
    public String sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A payload and the base64 signature that goes with it, and any further annotations of its layer
     * (a keyless signature's certificate, chain and transparency log bundle: {@link KeylessSigner}).
     */
    public record Signed(byte[] payload, String signature, Map<String, String> annotations) {
        public Signed {
            annotations = Map.copyOf(annotations);
        }

        /** A signature made with a key: no further annotations. */
        public Signed(byte[] payload, String signature) {
            this(payload, signature, Map.of());
        }

        /** This signature with {@code annotation} set to {@code value}, or removed when {@code value} is empty. */
        public Signed with(String annotation, Optional<String> value) {
            Map<String, String> changed = new HashMap<>(annotations);
            value.ifPresentOrElse(present -> changed.put(annotation, present), () -> changed.remove(annotation));
            return new Signed(payload, signature, changed);
        }
    }

    /** {@code payload} signed with this signer's key. */
    public Signed signed(byte[] payload) {
        return new Signed(payload, sign(payload));
    }

    /**
     * Pushes {@code payload} and its signature as the {@code sha256-<hex>.sig} attachment of
     * {@code subject} in {@code repository}.
     *
     * @return the digest of the signature manifest
     */
    public Digest attach(RegistryHttp http, String repository, Digest subject, byte[] payload) {
        return attach(http, repository, subject, List.of(signed(payload)));
    }

    /** Pushes one simple-signing layer per signature as the {@code sha256-<hex>.sig} attachment of {@code subject}. */
    public static Digest attach(RegistryHttp http, String repository, Digest subject, List<Signed> signatures) {
        TestBlob manifest = signatureManifest(http, repository, signatures).build();
        String tag = subject.algorithm().identifier() + "-" + subject.encoded() + ".sig";
        return http.pushManifest(repository, tag, MediaTypes.OCI_MANIFEST, manifest.content());
    }

    /** Pushes the signatures as an OCI 1.1 referrer of {@code subject} (a manifest of {@code subjectMediaType}). */
    public static Digest refer(RegistryHttp http, String repository, Digest subject, String subjectMediaType,
                               long subjectSize, List<Signed> signatures) {
        ManifestJson manifest = signatureManifest(http, repository, signatures);
        manifest.root().set("subject", ManifestJson.descriptor(subjectMediaType, subject, subjectSize));
        TestBlob built = manifest.build();
        return http.pushManifest(repository, built.digest().toString(), MediaTypes.OCI_MANIFEST, built.content());
    }

    private static ManifestJson signatureManifest(RegistryHttp http, String repository, List<Signed> signatures) {
        TestBlob config = TestBlob.of("{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        http.pushBlob(repository, config.content());
        List<TestBlob> payloads = new ArrayList<>();
        for (Signed signed : signatures) {
            TestBlob payload = TestBlob.of(signed.payload());
            http.pushBlob(repository, payload.content());
            payloads.add(payload);
        }
        ManifestJson manifest = ManifestJson.ociImage(config, payloads.toArray(TestBlob[]::new));
        for (int i = 0; i < signatures.size(); i++) {
            ObjectNode layer = (ObjectNode) manifest.root().get("layers").get(i);
            layer.put("mediaType", PAYLOAD_MEDIA_TYPE);
            ObjectNode annotations = layer.putObject("annotations");
            annotations.put(SIGNATURE_ANNOTATION, signatures.get(i).signature());
            signatures.get(i).annotations().forEach(annotations::put);
        }
        return manifest;
    }
}
