package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.oci.Digest;
import io.berth.promotion.SigningKey;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.SimpleSigner;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed promotion with skopeo: skopeo pushes candidates, and the build signs one as cosign and
 * skopeo's {@code --sign-by-sigstore-private-key} do — a simple-signing payload and its ECDSA
 * signature as the {@code sha256-<hex>.sig} attachment. (Debian's skopeo is built with sigstore
 * signing and verification disabled, "Debian-local change: sigstore disabled", so {@link
 * SimpleSigner} writes the attachment over the API, and the signature is checked here rather than
 * by a {@code sigstoreSigned} policy.) The {@code required-signatures} gate promotes the signed
 * candidate and refuses an unsigned one and one signed with another key, naming why; after the
 * promotion skopeo, reading sigstore attachments ({@code use-sigstore-attachments}), copies the
 * stable image with its signature, which verifies with the release key.
 */
@Tag("clients")
class SignedPromotionIT {
    @TempDir
    Path temporary;

    private TestRegistry registry;
    private RegistryHttp http;
    private ContainersTool skopeo;
    private SimpleSigner release;
    private SimpleSigner stranger;
    private Path registriesD;

    @BeforeEach
    void start() throws IOException {
        release = SimpleSigner.generate();
        stranger = SimpleSigner.generate();
        Path releasePublic = temporary.resolve("release.pub");
        Files.writeString(releasePublic, release.publicKeyPem());

        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, SignaturesConfig.ofFiles(List.of(releasePublic.toString())),
                        null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));
        http = registry.http();

        ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
        registriesD = temporary.resolve("registries.d");
        Files.createDirectories(registriesD);
        Files.writeString(registriesD.resolve("berth.yaml"), """
                default-docker:
                  use-sigstore-attachments: true
                """);
        skopeo = ContainersTool.skopeo(sandbox);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aCandidateSignedWithTheReleaseKeyIsPromotedAndPullsUnderAPolicyRequiringTheSignature() {
        push(1, "candidate/app:1.0");
        sign(release, "candidate/app", "1.0");

        HttpResponse<byte[]> promoted = promote("candidate/app:1.0", "app:1.0");

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        assertThat(gates(promoted)).containsExactly("signature by release.pub: passed");
        Digest digest = Digest.parse(RegistryHttp.json(promoted).path("digest").asText());
        skopeo.succeed("--registries.d", registriesD.toString(), "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                docker(registry, "app:1.0"), docker(registry, "copied/app:1.0"));
        for (String repository : List.of("app", "copied/app")) {
            JsonNode attachment = RegistryHttp.json(http.get("/v2/" + repository + "/manifests/"
                    + digest.algorithm().identifier() + "-" + digest.encoded() + ".sig"));
            JsonNode layer = attachment.path("layers").get(0);
            byte[] payload = http.get("/v2/" + repository + "/blobs/" + layer.path("digest").asText()).body();
            byte[] signature = Base64.getDecoder().decode(layer.path("annotations").path(SimpleSigner.SIGNATURE_ANNOTATION).asText());
            assertThat(SigningKey.fromPem("release.pub", release.publicKeyPem()).verifies(payload, signature))
                    .as("the signature served under %s verifies", repository).isTrue();
            assertThat(new String(payload, StandardCharsets.UTF_8)).contains(digest.toString());
        }
    }

    @Test
    void unsignedAndWronglySignedCandidatesAreRefusedWithTheReason() {
        push(2, "candidate/app:2.0");
        push(3, "candidate/app:3.0");
        sign(stranger, "candidate/app", "3.0");

        HttpResponse<byte[]> unsigned = promote("candidate/app:2.0", "app:2.0");
        HttpResponse<byte[]> wronglySigned = promote("candidate/app:3.0", "app:3.0");

        assertThat(unsigned.statusCode()).as(RegistryHttp.text(unsigned)).isEqualTo(409);
        assertThat(gates(unsigned)).containsExactly("signature by release.pub: no signature");
        assertThat(wronglySigned.statusCode()).as(RegistryHttp.text(wronglySigned)).isEqualTo(409);
        assertThat(gates(wronglySigned)).containsExactly("signature by release.pub: signature by an unknown key");
        assertThat(http.get("/v2/app/manifests/2.0").statusCode()).isEqualTo(404);
    }

    /** Pushes a small image (its bytes picked by {@code seed}) from an OCI layout to {@code reference}. */
    private void push(long seed, String reference) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout-" + seed));
        OciLayout layout = builder.tag("1", SampleImages.application(builder, Platform.LINUX_AMD64, 64 * 1024, seed)).write();
        List<String> arguments = new ArrayList<>(List.of("--registries.d", registriesD.toString(), "copy",
                "--dest-tls-verify=false"));
        arguments.addAll(List.of(oci(layout.root(), "1"), docker(registry, reference)));
        skopeo.succeed(arguments.toArray(String[]::new));
    }

    /** Signs the manifest {@code repository:tag} points at, naming it {@code host:port/repository:tag}. */
    private void sign(SimpleSigner signer, String repository, String tag) {
        Digest digest = Digest.parse(http.head("/v2/" + repository + "/manifests/" + tag)
                .headers().firstValue("Docker-Content-Digest").orElseThrow());
        signer.attach(http, repository, digest, SimpleSigner.payload(registry.hostPort() + "/" + repository + ":" + tag, digest));
    }

    private HttpResponse<byte[]> promote(String source, String target) {
        String body = "{\"source\": \"" + source + "\", \"targets\": [\"" + target + "\"]}";
        return http.send(http.request("/berth/v1/promotions").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /** Each gate verdict of a promotion answer as {@code gate: passed} or {@code gate: reason}. */
    private static List<String> gates(HttpResponse<byte[]> response) {
        List<String> verdicts = new ArrayList<>();
        for (JsonNode gate : RegistryHttp.json(response).path("gates")) {
            if (gate.path("gate").asText().startsWith("immutable tags")) {
                continue;
            }
            verdicts.add(gate.path("gate").asText() + ": "
                    + (gate.path("passed").asBoolean() ? "passed" : gate.path("reason").asText()));
        }
        return verdicts;
    }
}
