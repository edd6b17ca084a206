package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.IdentityConfig;
import io.berth.config.PromotionConfig.KeylessConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.KeylessSigner;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code required-signatures} gate with a keyless trust root over the API: {@code candidate/*}
 * promotes to {@code *}, and every target needs a signature by Fedora's release engineering
 * identity, with a certificate from the configured Fulcio, logged by the configured Rekor. The
 * certificate expired long before the promotion; the log's time is what counts.
 */
class KeylessSignaturePromotionApiTest {
    private static final String FEDORA = "https://accounts.fedoraproject.org";
    private static final String RELENG = "releng@fedoraproject.org";
    private static final String GATE = "signature by " + RELENG + " (" + FEDORA + ")";

    @TempDir
    Path trust;

    private final KeylessSigner sigstore = KeylessSigner.generate();
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws IOException {
        Path root = trust.resolve("fulcio.pem");
        Path rekor = trust.resolve("rekor.pub");
        Files.writeString(root, sigstore.fulcioRootPem());
        Files.writeString(rekor, sigstore.rekorPublicKeyPem());
        SignaturesConfig signatures = new SignaturesConfig(null, new KeylessConfig(List.of(root.toString()),
                List.of(rekor.toString()), List.of(new IdentityConfig(FEDORA, RELENG, "releng"))), null);
        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, signatures, null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aCandidateSignedKeylesslyByTheIdentityIsPromotedWithItsSignature() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.0", 1);
        Digest attachment = SimpleSigner.attach(http, "candidate/app", image.digest(),
                List.of(sigstore.sign(payload("candidate/app:1.0", image.digest()), RELENG, FEDORA)));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.0", "app:1.0");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).isEqualTo("passed: signed by " + RELENG + " (" + FEDORA + "), keyless (tag " + tagOf(image.digest()) + ")");
        HttpResponse<byte[]> carried = http.get("/v2/app/manifests/" + tagOf(image.digest()));
        assertThat(carried.headers().firstValue("Docker-Content-Digest")).hasValue(attachment.toString());
        assertThat(RegistryHttp.json(carried).path("layers").get(0).path("annotations").path(KeylessSigner.BUNDLE_ANNOTATION).asText())
                .as("the certificate and log entry travel with the signature").contains("SignedEntryTimestamp");
    }

    @Test
    void aKeylessSignatureAttachedAsAReferrerCountsToo() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.1", 2);
        SimpleSigner.refer(http, "candidate/app", image.digest(), MediaTypes.OCI_MANIFEST, image.size(),
                List.of(sigstore.sign(payload("candidate/app:1.1", image.digest()), RELENG, FEDORA)));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.1", "app:1.1");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).startsWith("passed: signed by " + RELENG + " (" + FEDORA + "), keyless (referrer sha256:");
    }

    @Test
    void signaturesByAnotherIdentityOrAnotherSigstoreAreRefused() {
        TestBlob byStranger = http.pushSmallImage("candidate/app", "2.0", 3);
        SimpleSigner.attach(http, "candidate/app", byStranger.digest(),
                List.of(sigstore.sign(payload("candidate/app:2.0", byStranger.digest()), "mallory@example.org", FEDORA)));
        TestBlob byOtherSigstore = http.pushSmallImage("candidate/app", "2.1", 4);
        SimpleSigner.attach(http, "candidate/app", byOtherSigstore.digest(),
                List.of(KeylessSigner.generate().sign(payload("candidate/app:2.1", byOtherSigstore.digest()), RELENG, FEDORA)));

        HttpResponse<byte[]> stranger = http.promote("candidate/app:2.0", "app:2.0");
        HttpResponse<byte[]> otherSigstore = http.promote("candidate/app:2.1", "app:2.1");

        assertThat(stranger.statusCode()).isEqualTo(409);
        assertThat(verdict(stranger)).isEqualTo("refused: certificate for mallory@example.org from " + FEDORA + " matches no identity");
        assertThat(otherSigstore.statusCode()).isEqualTo(409);
        assertThat(verdict(otherSigstore)).isEqualTo("refused: transparency log entry not signed by a configured Rekor key");
        assertThat(http.get("/v2/app/tags/list").statusCode()).as("nothing was promoted").isEqualTo(404);
    }

    private byte[] payload(String repositoryAndTag, Digest digest) {
        return SimpleSigner.payload(registry.hostPort() + "/" + repositoryAndTag, digest);
    }

    private static String tagOf(Digest digest) {
        return digest.algorithm().identifier() + "-" + digest.encoded() + ".sig";
    }




    private static String verdict(HttpResponse<byte[]> response) {
        return RegistryHttp.verdict(response, GATE);
    }
}
