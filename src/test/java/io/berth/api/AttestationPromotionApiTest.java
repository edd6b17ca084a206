package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.AttestationConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.KeyConfig;
import io.berth.oci.Digest;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.testing.InTotoAttester;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code required-attestations} gate over the API: {@code candidate/*} promotes to {@code *}, and
 * every target needs a test report ({@value InTotoAttester#TEST_RESULT}) that says {@code passed},
 * about the promoted digest, signed by the release key, attached as cosign does ({@code
 * sha256-<hex>.att}) or as a referrer. Anyone who can push to a candidate can attach a report, so only
 * a signed one counts; the attestation follows the promotion.
 */
class AttestationPromotionApiTest {
    private static final String GATE = "attestation " + InTotoAttester.TEST_RESULT + " with {/result=passed} by release-signing.pub";

    @TempDir
    Path keys;

    private final InTotoAttester release = InTotoAttester.generate();
    private final InTotoAttester robot = InTotoAttester.generate();
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws IOException {
        Path releaseKey = keys.resolve("release-signing.pub");
        Files.writeString(releaseKey, release.publicKeyPem());
        AttestationConfig report = new AttestationConfig(InTotoAttester.TEST_RESULT, List.of(KeyConfig.of(releaseKey.toString())),
                null, Map.of("/result", "passed"));
        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, null, List.of(report), null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aCandidateWithAPassedReportIsPromotedWithItsAttestationAttachment() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.0", 1);
        Digest attachment = InTotoAttester.attach(http, "candidate/app", image.digest(), InTotoAttester.TEST_RESULT,
                List.of(release.envelope(InTotoAttester.testReport(image.digest(), "passed"))));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.0", "app:1.0");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).isEqualTo("passed: attested by release-signing.pub (tag " + attachmentTag(image.digest()) + ")");
        HttpResponse<byte[]> carried = http.get("/v2/app/manifests/" + attachmentTag(image.digest()));
        assertThat(carried.statusCode()).as("the attestation is found under the stable name").isEqualTo(200);
        assertThat(carried.headers().firstValue("Docker-Content-Digest")).hasValue(attachment.toString());
        String envelopeDigest = RegistryHttp.json(carried).path("layers").get(0).path("digest").asText();
        assertThat(http.get("/v2/app/blobs/" + envelopeDigest).statusCode()).isEqualTo(200);
    }

    @Test
    void anAttestationAttachedAsAnOciReferrerCountsToo() {
        TestBlob image = http.pushSmallImage("candidate/app", "1.1", 2);
        InTotoAttester.refer(http, "candidate/app", image.digest(), MediaTypes.OCI_MANIFEST, image.size(), InTotoAttester.TEST_RESULT,
                List.of(release.envelope(InTotoAttester.testReport(image.digest(), "passed"))));

        HttpResponse<byte[]> response = http.promote("candidate/app:1.1", "app:1.1");

        assertThat(response.statusCode()).as(RegistryHttp.text(response)).isEqualTo(201);
        assertThat(verdict(response)).startsWith("passed: attested by release-signing.pub (referrer sha256:");
    }

    @Test
    void aFailedReportAMadeUpOneAndAnotherImagesAreRefusedWithWhatFailed() {
        TestBlob failed = http.pushSmallImage("candidate/app", "2.0", 3);
        InTotoAttester.attach(http, "candidate/app", failed.digest(), InTotoAttester.TEST_RESULT,
                List.of(release.envelope(InTotoAttester.testReport(failed.digest(), "failed"))));
        TestBlob madeUp = http.pushSmallImage("candidate/app", "2.1", 4);
        byte[] passed = InTotoAttester.testReport(madeUp.digest(), "passed");
        InTotoAttester.attach(http, "candidate/app", madeUp.digest(), InTotoAttester.TEST_RESULT,
                List.of(InTotoAttester.envelope(InTotoAttester.IN_TOTO_PAYLOAD_TYPE, passed, List.of("")),
                        robot.envelope(passed)));
        TestBlob replayed = http.pushSmallImage("candidate/app", "2.2", 5);
        InTotoAttester.attach(http, "candidate/app", replayed.digest(), InTotoAttester.TEST_RESULT,
                List.of(release.envelope(InTotoAttester.testReport(failed.digest(), "passed"))));
        http.pushSmallImage("candidate/app", "2.3", 6);

        assertThat(verdict(http.promote("candidate/app:2.0", "app:2.0"))).isEqualTo("refused: predicate /result is 'failed', not 'passed'");
        assertThat(verdict(http.promote("candidate/app:2.1", "app:2.1"))).isEqualTo("refused: attestation by an unknown key");
        assertThat(verdict(http.promote("candidate/app:2.2", "app:2.2")))
                .isEqualTo("refused: attestation about " + failed.digest() + ", not the promoted " + replayed.digest());
        assertThat(verdict(http.promote("candidate/app:2.3", "app:2.3")))
                .isEqualTo("refused: no attestation of type " + InTotoAttester.TEST_RESULT);
        assertThat(http.get("/v2/app/tags/list").statusCode()).as("nothing was promoted").isEqualTo(404);
    }

    @Test
    void attestationsPastTheLayerLimitAreNotVerified() {
        TestBlob image = http.pushSmallImage("candidate/app", "3.0", 7);
        byte[] report = InTotoAttester.testReport(image.digest(), "passed");
        List<byte[]> envelopes = new ArrayList<>(Collections.nCopies(Limits.MAX_ATTESTATION_LAYERS, robot.envelope(report)));
        envelopes.add(release.envelope(report));
        InTotoAttester.attach(http, "candidate/app", image.digest(), InTotoAttester.TEST_RESULT, envelopes);

        assertThat(verdict(http.promote("candidate/app:3.0", "app:3.0"))).isEqualTo("refused: attestation by an unknown key");
    }

    @Test
    void theAttestationOfThePushersKeyDoesNotReleaseItsOwnCandidateUnderNotByPusher() throws IOException {
        Path robotPublic = keys.resolve("osbs.pub");
        Path relengPublic = keys.resolve("releng.pub");
        Files.writeString(robotPublic, robot.publicKeyPem());
        Files.writeString(relengPublic, release.publicKeyPem());
        AttestationConfig separated = new AttestationConfig(InTotoAttester.TEST_RESULT, List.of(
                new KeyConfig(robotPublic.toString(), "robot$osbs"), new KeyConfig(relengPublic.toString(), "releng")),
                true, Map.of("/result", "passed"));
        try (LockedDownRegistry locked = LockedDownRegistry.start(config -> config.withPromotion(new PromotionConfig(
                List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, null, List.of(separated), null, null, null, null)))))) {
            Digest candidate = LockedDownRegistry.CANDIDATE_MANIFEST.digest();
            RegistryHttp osbs = locked.osbs().http().withHeader("Authorization", locked.osbs().authorization().orElseThrow());
            byte[] report = InTotoAttester.testReport(candidate, "passed");
            InTotoAttester.attach(osbs, "candidate/app", candidate, InTotoAttester.TEST_RESULT, List.of(robot.envelope(report)));

            HttpResponse<byte[]> bySelf = locked.releng().postJson("/berth/v1/promotions",
                    "{\"source\": \"candidate/app:1.0\", \"targets\": [\"app:1.0\"]}");

            assertThat(bySelf.statusCode()).as(RegistryHttp.text(bySelf)).isEqualTo(409);
            assertThat(reason(bySelf, "attestation ")).isEqualTo("attestation by osbs.pub, whose owner robot$osbs pushed the candidate");

            InTotoAttester.attach(osbs, "candidate/app", candidate, InTotoAttester.TEST_RESULT,
                    List.of(robot.envelope(report), release.envelope(report)));
            HttpResponse<byte[]> byReleng = locked.releng().postJson("/berth/v1/promotions",
                    "{\"source\": \"candidate/app:1.0\", \"targets\": [\"app:1.0\"]}");

            assertThat(byReleng.statusCode()).as(RegistryHttp.text(byReleng)).isEqualTo(201);
            assertThat(reason(byReleng, "attestation ")).isEqualTo("attested by releng.pub (tag " + attachmentTag(candidate) + ")");
        }
    }

    private static String attachmentTag(Digest digest) {
        return digest.algorithm().identifier() + "-" + digest.encoded() + ".att";
    }




    private static String reason(HttpResponse<byte[]> response, String gatePrefix) {
        for (JsonNode gate : RegistryHttp.json(response).path("gates")) {
            if (gate.path("gate").asText().startsWith(gatePrefix)) {
                return gate.path("reason").asText();
            }
        }
        throw new AssertionError("no verdict of " + gatePrefix + "in " + RegistryHttp.text(response));
    }

    private static String verdict(HttpResponse<byte[]> response) {
        return RegistryHttp.verdict(response, GATE);
    }
}
