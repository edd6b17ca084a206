package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.TagProtectionConfig;
import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue as a new user meets it: {@code fedora/app:41.1} was released, and a plain
 * {@code skopeo copy} of another image to that tag must fail with a message that says why, leaving the
 * tag where it was. In {@code fedora/*}, {@code 41.*} is immutable.
 */
@Tag("clients")
class TagProtectionIT {
    @TempDir
    Path temporary;
    private TestRegistry registry;
    private ContainersTool skopeo;

    @BeforeEach
    void start() {
        registry = TestRegistry.start(config -> config.withTagProtection(
                List.of(new TagProtectionConfig("fedora/*", List.of("41.*"), List.of(), List.of()))));
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void skopeoCopyToAReleasedImmutableTagFailsAndTheTagStaysPut() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("images"));
        OciImage released = SampleImages.application(builder, Platform.LINUX_AMD64, 64 * 1024, 1);
        OciImage rebuilt = SampleImages.application(builder, Platform.LINUX_AMD64, 64 * 1024, 2);
        OciLayout images = builder.tag("released", released).tag("rebuilt", rebuilt).write();

        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "released"), docker(registry, "fedora/app:41.1"));
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "released"), docker(registry, "fedora/app:41.1"));
        ToolRun moved = skopeo.run("copy", "--dest-tls-verify=false", oci(images.root(), "rebuilt"),
                docker(registry, "fedora/app:41.1"));
        ToolRun deleted = skopeo.run("delete", "--tls-verify=false", docker(registry, "fedora/app:41.1"));

        assertThat(moved.succeeded()).as(moved.transcript()).isFalse();
        assertThat(moved.stderr()).as(moved.transcript()).contains("denied", "fedora/app:41.1", "immutable");
        assertThat(deleted.succeeded()).as(deleted.transcript()).isFalse();
        assertThat(deleted.stderr()).as(deleted.transcript()).contains("immutable");
        HttpResponse<byte[]> tag = registry.http().head("/v2/fedora/app/manifests/41.1");
        assertThat(tag.headers().firstValue("Docker-Content-Digest")).as(RegistryHttp.text(tag))
                .hasValue(released.manifest().digest().toString());
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "rebuilt"), docker(registry, "fedora/app:41.2"));
    }
}
