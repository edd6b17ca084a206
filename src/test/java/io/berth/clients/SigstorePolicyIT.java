package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cli.BerthCommand;
import io.berth.config.PromotionConfig;
import io.berth.config.PromotionConfig.GateRuleConfig;
import io.berth.config.PromotionConfig.SignaturesConfig;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Signatures a real client verifies: a skopeo with sigstore enabled (Debian 13's, unpacked by
 * {@code .ci/sigstore-skopeo}, as Debian 12's has it disabled) signs candidates on push with a key
 * {@code berth generate-key-pair} made in cosign's encrypted format; the {@code required-signatures}
 * gate promotes them; and skopeo, under a {@code policy.json} that requires a {@code sigstoreSigned}
 * signature by that key for the stable repository (the stable name remapped to the signed candidate
 * name, as docs/promotion.md shows), pulls the stable image, signed on push or by {@code berth sign},
 * and refuses an unsigned one.
 */
@Tag("clients")
class SigstorePolicyIT {
    private static final Path SIGSTORE_SKOPEO = Path.of(System.getenv().getOrDefault("BERTH_SIGSTORE_SKOPEO",
            "/opt/berth-test/skopeo-sigstore/skopeo"));

    @TempDir
    Path temporary;

    private TestRegistry registry;
    private ContainersTool plainSkopeo;
    private ContainersTool sigstoreSkopeo;
    private Path key;
    private Path passphrase;
    private Path registriesD;

    @BeforeEach
    void start() throws IOException {
        passphrase = Files.writeString(temporary.resolve("passphrase"), "release passphrase\n");
        String prefix = temporary.resolve("release").toString();
        assertThat(new CommandLine(new BerthCommand()).execute("generate-key-pair", "--output-key-prefix", prefix,
                "--passphrase-file", passphrase.toString())).isZero();
        key = Path.of(prefix + ".key");
        Path publicKey = Path.of(prefix + ".pub");

        PromotionConfig promotion = new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")),
                List.of(new GateRuleConfig("**", null, null, null, SignaturesConfig.ofFiles(List.of(publicKey.toString())),
                        null, null, null, null)));
        registry = TestRegistry.start(config -> config.withPromotion(promotion));

        registriesD = Files.createDirectories(temporary.resolve("registries.d"));
        Files.writeString(registriesD.resolve("berth.yaml"), "default-docker:\n  use-sigstore-attachments: true\n");
        String host = registry.hostPort();
        Path policy = Files.writeString(temporary.resolve("policy.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {
                   "docker": {"%1$s/app": [{"type": "sigstoreSigned", "keyPath": "%2$s",
                                           "signedIdentity": {"type": "remapIdentity", "prefix": "%1$s/app",
                                                              "signedPrefix": "%1$s/candidate/app"}}],
                              "%1$s/candidate": [{"type": "insecureAcceptAnything"}]},
                   "oci": {"": [{"type": "insecureAcceptAnything"}]},
                   "dir": {"": [{"type": "insecureAcceptAnything"}]}}}
                """.formatted(host, publicKey));
        ContainersSandbox sandbox = ContainersSandbox.create(temporary.resolve("sandbox"));
        plainSkopeo = ContainersTool.skopeo(sandbox);
        sigstoreSkopeo = ContainersTool.sigstoreSkopeo(SIGSTORE_SKOPEO, sandbox, policy);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void anImageSignedOnPushIsPromotedAndPullsUnderAPolicyRequiringTheSignature() {
        sigstoreSkopeo.succeed("--registries.d", registriesD.toString(), "copy", "--dest-tls-verify=false",
                "--sign-by-sigstore-private-key", key.toString(), "--sign-passphrase-file", passphrase.toString(),
                oci(image(1), "1"), docker(registry, "candidate/app:1.0"));

        HttpResponse<byte[]> promoted = registry.http().promote("candidate/app:1.0", "app:1.0");

        assertThat(promoted.statusCode()).as(RegistryHttp.text(promoted)).isEqualTo(201);
        pullVerified("app:1.0").assertSucceeded();
    }

    @Test
    void anImageSignedByBerthSignPullsToo() {
        plainSkopeo.succeed("copy", "--dest-tls-verify=false", oci(image(2), "1"), docker(registry, "candidate/app:2.0"));
        assertThat(new CommandLine(new BerthCommand()).execute("sign", "--key", key.toString(), "--passphrase-file",
                passphrase.toString(), "--plain-http", registry.hostPort() + "/candidate/app:2.0")).isZero();

        assertThat(registry.http().promote("candidate/app:2.0", "app:2.0").statusCode()).isEqualTo(201);
        pullVerified("app:2.0").assertSucceeded();
    }

    @Test
    void anUnsignedStableImageIsRefusedByThePolicy() {
        plainSkopeo.succeed("copy", "--dest-tls-verify=false", oci(image(3), "1"), docker(registry, "app:3.0"));

        ToolRun refused = pullVerified("app:3.0");

        assertThat(refused.succeeded()).as(refused.transcript()).isFalse();
        assertThat(refused.stderr()).contains("A signature was required, but no signature exists");
    }

    private ToolRun pullVerified(String stableReference) {
        return sigstoreSkopeo.run("--registries.d", registriesD.toString(), "copy", "--src-tls-verify=false",
                "--remove-signatures", docker(registry, stableReference),
                "dir:" + temporary.resolve("pulled-" + stableReference.replace(':', '-')));
    }

    private Path image(long seed) {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("layout-" + seed));
        OciLayout layout = builder.tag("1", SampleImages.application(builder, Platform.LINUX_AMD64, 32 * 1024, seed)).write();
        return layout.root();
    }

}
