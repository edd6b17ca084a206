package io.berth.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Attests images as {@code cosign attest --key k --type TYPE --predicate FILE IMAGE} does: an
 * in-toto statement about the image's digest, wrapped in a DSSE envelope whose signature is an ECDSA
 * P-256 signature (ASN.1 DER, SHA-256) of the envelope's pre-authentication encoding, pushed as a
 * layer ({@value #ENVELOPE_MEDIA_TYPE}, annotated {@code predicateType} and an empty
 * {@code dev.cosignproject.cosign/signature}) of the manifest tagged {@code sha256-<hex>.att}.
 *
 * <p>Written from the DSSE and in-toto specifications, apart from the code under test, so that a
 * mistake in Berth's encoding fails the tests instead of agreeing with itself.
 */
public final class InTotoAttester {
    public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    public static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
    public static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";
    /** The predicate type the tests' reports have. */
    public static final String TEST_RESULT = "https://berth.dev/test-result/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair keys;

    private InTotoAttester(KeyPair keys) {
        this.keys = keys;
    }

    /** An attester with a fresh ECDSA P-256 key pair. */
    public static InTotoAttester generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new InTotoAttester(generator.generateKeyPair());
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

    /** The statement {@code cosign attest} makes of {@code predicate} (a JSON object's text) about {@code subject}. */
    public static byte[] statement(String statementType, String name, Digest subject, String predicateType, String predicate) {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("_type", statementType);
            ObjectNode entry = root.putArray("subject").addObject();
            entry.put("name", name);
            entry.putObject("digest").put(subject.algorithm().identifier(), subject.encoded());
            root.put("predicateType", predicateType);
            root.set("predicate", JSON.readTree(predicate));
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A v1 statement of a {@value #TEST_RESULT} report about {@code subject} whose {@code result} is {@code result}. */
    public static byte[] testReport(Digest subject, String result) {
        return statement(STATEMENT_V1, "registry.example.org/candidate/app", subject, TEST_RESULT,
                "{\"result\": \"" + result + "\", \"suite\": \"integration\", \"passed\": 412, \"failed\": "
                        + (result.equals("passed") ? 0 : 3) + "}");
    }

    /** The DSSE pre-authentication encoding of {@code payload} of {@code payloadType}. */
    public static byte[] preAuthenticationEncoding(String payloadType, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        out.writeBytes("DSSEv1".getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.writeBytes(Integer.toString(type.length).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.writeBytes(type);
        out.write(' ');
        out.writeBytes(Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** The base64 ECDSA signature of the pre-authentication encoding of {@code payload}. */
    public String sign(String payloadType, byte[] payload) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(preAuthenticationEncoding(payloadType, payload));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The envelope of {@code statement}, signed with this attester's key, as cosign writes it. */
    public byte[] envelope(byte[] statement) {
        return envelope(IN_TOTO_PAYLOAD_TYPE, statement, List.of(sign(IN_TOTO_PAYLOAD_TYPE, statement)));
    }

    /** An envelope of any content: the payload and the base64 signatures as given. */
    public static byte[] envelope(String payloadType, byte[] payload, List<String> signatures) {
        ObjectNode root = JSON.createObjectNode();
        root.put("payloadType", payloadType);
        root.put("payload", Base64.getEncoder().encodeToString(payload));
        for (String signature : signatures) {
            root.withArray("signatures").addObject().put("keyid", "").put("sig", signature);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Pushes one envelope layer per envelope as the {@code sha256-<hex>.att} attachment of
     * {@code subject} in {@code repository}, annotated {@code predicateType} as cosign does.
     *
     * @return the digest of the attestation manifest
     */
    public static Digest attach(RegistryHttp http, String repository, Digest subject, String predicateType,
                                List<byte[]> envelopes) {
        TestBlob manifest = attestationManifest(http, repository, predicateType, envelopes).build();
        String tag = subject.algorithm().identifier() + "-" + subject.encoded() + ".att";
        return http.pushManifest(repository, tag, MediaTypes.OCI_MANIFEST, manifest.content());
    }

    /** Pushes the envelopes as an OCI 1.1 referrer of {@code subject} (a manifest of {@code subjectMediaType}). */
    public static Digest refer(RegistryHttp http, String repository, Digest subject, String subjectMediaType, long subjectSize,
                               String predicateType, List<byte[]> envelopes) {
        ManifestJson manifest = attestationManifest(http, repository, predicateType, envelopes);
        manifest.root().set("subject", ManifestJson.descriptor(subjectMediaType, subject, subjectSize));
        TestBlob built = manifest.build();
        return http.pushManifest(repository, built.digest().toString(), MediaTypes.OCI_MANIFEST, built.content());
    }

    private static ManifestJson attestationManifest(RegistryHttp http, String repository, String predicateType,
                                                    List<byte[]> envelopes) {
        TestBlob config = TestBlob.of("{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        http.pushBlob(repository, config.content());
        List<TestBlob> layers = new ArrayList<>();
        for (byte[] envelope : envelopes) {
            TestBlob layer = TestBlob.of(envelope);
            http.pushBlob(repository, layer.content());
            layers.add(layer);
        }
        ManifestJson manifest = ManifestJson.ociImage(config, layers.toArray(TestBlob[]::new));
        for (int i = 0; i < envelopes.size(); i++) {
            ObjectNode layer = (ObjectNode) manifest.root().get("layers").get(i);
            layer.put("mediaType", ENVELOPE_MEDIA_TYPE);
            layer.putObject("annotations").put("dev.cosignproject.cosign/signature", "").put("predicateType", predicateType);
        }
        return manifest;
    }
}
