package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.QuotaConfig;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas as a team meets them: {@code team-a/**} holds 512 KiB; a first image of about 256 KiB fits,
 * and a plain {@code skopeo copy} of a second one that would pass the limit fails with a message naming
 * the quota, while copying the first image again under another name in the quota still works (its
 * content is held already, so it adds nothing).
 */
@Tag("clients")
class QuotaIT {
    private static final long LIMIT = 512 * 1024;

    @TempDir
    Path temporary;
    private TestRegistry registry;
    private ContainersTool skopeo;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(config -> config.withQuotas(List.of(new QuotaConfig("team-a/**", LIMIT, null))));
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void skopeoCopyPastAQuotaFailsNamingTheQuota() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("images"));
        OciImage first = SampleImages.application(builder, Platform.LINUX_AMD64, 256 * 1024, 1);
        OciImage second = SampleImages.application(builder, Platform.LINUX_AMD64, 320 * 1024, 2);
        OciLayout images = builder.tag("first", first).tag("second", second).write();

        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "first"), docker(registry, "team-a/app:1"));
        ToolRun refused = skopeo.run("copy", "--dest-tls-verify=false", oci(images.root(), "second"),
                docker(registry, "team-a/app:2"));

        assertThat(refused.succeeded()).as(refused.transcript()).isFalse();
        assertThat(refused.stderr()).as(refused.transcript()).contains("denied: quota", "team-a/**", "allows at most " + LIMIT + " bytes");
        assertThat(registry.http().get("/v2/team-a/app/manifests/2").statusCode()).isEqualTo(404);
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "first"), docker(registry, "team-a/copy:1"));
        assertThat(RegistryHttp.json(registry.http().get("/berth/v1/quotas")).path("quotas").get(0)
                .path("used-bytes").asLong()).isLessThanOrEqualTo(LIMIT);
    }
}
