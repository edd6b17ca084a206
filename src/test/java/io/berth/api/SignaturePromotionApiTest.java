package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code required-signatures} gate over the API: {@code candidate/*} promotes to {@code *}, and
 * every target needs a simple-signing signature by the release key over the promoted digest,
 * attached by tag ({@code sha256-<hex>.sig}) or as a referrer. Anyone who can push to a candidate
 * can attach signatures, so only a valid one by the key counts, and what is read is bounded.
 */
class SignaturePromotionApiTest {
    @TempDir
    Path keys;

    private final SimpleSigner release = SimpleSigner.generate();
    private final SimpleSigner robot = SimpleSigner.generate();
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws IOException {
        Path releaseKey = keys.resolve("release-signing.pub");
        Files.writeString(releaseKey, release.publicKeyPem());
        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, SignaturesConfig.ofFiles(List.of(releaseKey.toString())),
                        null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aCandidateSignedByTheReleaseKeyIsPromotedWithItsSignatureAttachment() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.0", 1);
        Digest attachment = release.attach(http, "candidate/app", image.digest(), payload("candidate/app:1.0", image.digest()));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.0", "app:1.0");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).isEqualTo("passed: signed by release-signing.pub (tag " + tagOf(image.digest()) + ")");
        HttpResponse<byte[]> carried = http.get("/v2/app/manifests/" + tagOf(image.digest()));
        assertThat(carried.statusCode()).as("the signature is found under the stable name").isEqualTo(200);
        assertThat(carried.headers().firstValue("Docker-Content-Digest")).hasValue(attachment.toString());
        String payloadDigest = RegistryHttp.json(carried).path("layers").get(0).path("digest").asText();
        assertThat(http.get("/v2/app/blobs/" + payloadDigest).statusCode()).isEqualTo(200);
    }

    @Test
    void aSignatureAttachedAsAnOciReferrerCountsToo() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.1", 2);
        SimpleSigner.refer(http, "candidate/app", image.digest(), MediaTypes.OCI_MANIFEST, image.size(),
                List.of(release.signed(payload("candidate/app:1.1", image.digest()))));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.1", "app:1.1");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).startsWith("passed: signed by release-signing.pub (referrer sha256:");
    }

    @Test
    void madeUpUnknownAndMisdirectedSignaturesAreRefusedWithWhatFailed() {
        TestBlob unsigned = http.pushSmallImage("candidate/app", "2.0", 3);
        TestBlob byRobot = http.pushSmallImage("candidate/app", "2.1", 4);
        robot.attach(http, "candidate/app", byRobot.digest(), payload("candidate/app:2.1", byRobot.digest()));
        TestBlob replayed = http.pushSmallImage("candidate/app", "2.2", 5);
        SimpleSigner.attach(http, "candidate/app", replayed.digest(),
                List.of(release.signed(payload("candidate/app:2.0", unsigned.digest()))));

        assertThat(verdict(http.promote("candidate/app:2.0", "app:2.0"))).isEqualTo("refused: no signature");
        assertThat(verdict(http.promote("candidate/app:2.1", "app:2.1"))).isEqualTo("refused: signature by an unknown key");
        assertThat(verdict(http.promote("candidate/app:2.2", "app:2.2")))
                .isEqualTo("refused: signature over " + unsigned.digest() + ", not the promoted " + replayed.digest());
        assertThat(http.get("/v2/app/tags/list").statusCode()).as("nothing was promoted").isEqualTo(404);
    }

    @Test
    void signaturesPastTheLayerLimitAreNotVerified() {
        TestBlob image = http.pushSmallImage("candidate/app", "3.0", 6);
        byte[] payload = payload("candidate/app:3.0", image.digest());
        List<SimpleSigner.Signed> layers = new ArrayList<>(Collections.nCopies(Limits.MAX_SIGNATURE_LAYERS, robot.signed(payload)));
        layers.add(release.signed(payload));
        SimpleSigner.attach(http, "candidate/app", image.digest(), layers);

        assertThat(verdict(http.promote("candidate/app:3.0", "app:3.0"))).isEqualTo("refused: signature by an unknown key");
    }

    private String payloadReference(String repositoryAndTag) {
        return registry.hostPort() + "/" + repositoryAndTag;
    }

    private byte[] payload(String repositoryAndTag, Digest digest) {
        return SimpleSigner.payload(payloadReference(repositoryAndTag), digest);
    }

    private static String tagOf(Digest digest) {
        return digest.algorithm().identifier() + "-" + digest.encoded() + ".sig";
    }




    private static String verdict(HttpResponse<byte[]> response) {
        return RegistryHttp.verdict(response, "signature by release-signing.pub");
    }
}
