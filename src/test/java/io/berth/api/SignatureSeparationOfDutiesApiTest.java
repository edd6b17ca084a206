package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.KeyConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
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
 * Separation of duties with authentication on ({@link LockedDownRegistry}): robot {@code osbs}
 * pushes {@code candidate/app:1.0} and holds a signing key the gate knows as its own; with
 * {@code not-by-pusher}, the robot's signature does not release its own candidate, and a signature
 * by the release engineers' key does.
 */
class SignatureSeparationOfDutiesApiTest {
    @TempDir
    Path keys;

    private final SimpleSigner robotKey = SimpleSigner.generate();
    private final SimpleSigner relengKey = SimpleSigner.generate();
    private LockedDownRegistry registry;

    @BeforeEach
    void start() throws IOException {
        Path robotPublic = keys.resolve("osbs.pub");
        Path relengPublic = keys.resolve("releng.pub");
        Files.writeString(robotPublic, robotKey.publicKeyPem());
        Files.writeString(relengPublic, relengKey.publicKeyPem());
        SignaturesConfig signatures = new SignaturesConfig(List.of(new KeyConfig(robotPublic.toString(), "robot$osbs"),
                new KeyConfig(relengPublic.toString(), "releng")), true);
        registry = LockedDownRegistry.start(config -> config.withPromotion(new PromotionConfig(
                List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, signatures, null, null, null, null)))));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void theRobotsSignatureDoesNotReleaseItsOwnCandidateButTheReleaseEngineersDoes() {
        RegistryHttp robot = authorized(registry.osbs());
        byte[] payload = SimpleSigner.payload("registry.example.org/candidate/app:1.0",
                LockedDownRegistry.CANDIDATE_MANIFEST.digest());
        robotKey.attach(robot, "candidate/app", LockedDownRegistry.CANDIDATE_MANIFEST.digest(), payload);

        HttpResponse<byte[]> bySelf = promote();

        assertThat(bySelf.statusCode()).as(RegistryHttp.text(bySelf)).isEqualTo(409);
        assertThat(verdict(bySelf)).isEqualTo("signature by osbs.pub, whose owner robot$osbs pushed the candidate");

        SimpleSigner.attach(robot, "candidate/app", LockedDownRegistry.CANDIDATE_MANIFEST.digest(),
                List.of(robotKey.signed(payload), relengKey.signed(payload)));
        HttpResponse<byte[]> byReleng = promote();

        assertThat(byReleng.statusCode()).as(RegistryHttp.text(byReleng)).isEqualTo(201);
        assertThat(verdict(byReleng)).isEqualTo("signed by releng.pub (tag sha256-"
                + LockedDownRegistry.CANDIDATE_MANIFEST.digest().encoded() + ".sig)");
    }

    private HttpResponse<byte[]> promote() {
        return registry.releng().postJson("/berth/v1/promotions",
                "{\"source\": \"candidate/app:1.0\", \"targets\": [\"app:1.0\"]}");
    }

    private static RegistryHttp authorized(LockedDownRegistry.Caller caller) {
        return caller.http().withHeader("Authorization", caller.authorization().orElseThrow());
    }

    private static String verdict(HttpResponse<byte[]> response) {
        for (JsonNode gate : RegistryHttp.json(response).path("gates")) {
            if (gate.path("gate").asText().startsWith("signature by ")) {
                return gate.path("reason").asText();
            }
        }
        throw new AssertionError("no signature verdict in " + RegistryHttp.text(response));
    }
}
