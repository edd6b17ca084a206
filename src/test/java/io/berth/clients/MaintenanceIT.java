package io.berth.clients;

import static io.berth.clients.ContainersTool.docker;
import static io.berth.clients.ContainersTool.oci;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.testing.OciImage;
import io.berth.testing.OciLayout;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import io.berth.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-only maintenance as an operator and a user meet it: while the mode is on, a plain
 * {@code skopeo copy} into Berth fails with a message naming the maintenance mode, a copy out of it
 * works, and once the mode is off the same copy in succeeds.
 */
@Tag("clients")
class MaintenanceIT {
    @TempDir
    Path temporary;
    private TestRegistry registry;
    private ContainersTool skopeo;

    @BeforeEach
    void start() {
        registry = TestRegistry.start();
        skopeo = ContainersTool.skopeo(ContainersSandbox.create(temporary.resolve("sandbox")));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void skopeoCopyIntoAReadOnlyBerthFailsNamingTheModeAndSucceedsOnceItIsOff() {
        OciLayoutBuilder builder = OciLayoutBuilder.create(temporary.resolve("images"));
        OciImage before = SampleImages.application(builder, Platform.LINUX_AMD64, 64 * 1024, 1);
        OciImage during = SampleImages.application(builder, Platform.LINUX_AMD64, 64 * 1024, 2);
        OciLayout images = builder.tag("before", before).tag("during", during).write();
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "before"), docker(registry, "app:before"));

        switchTo(true);
        ToolRun refused = skopeo.run("copy", "--dest-tls-verify=false", oci(images.root(), "during"),
                docker(registry, "app:during"));
        ToolRun pulled = skopeo.run("copy", "--src-tls-verify=false", docker(registry, "app:before"),
                oci(temporary.resolve("pulled"), "before"));

        assertThat(refused.succeeded()).as(refused.transcript()).isFalse();
        assertThat(refused.stderr()).as(refused.transcript()).contains("read-only maintenance mode");
        assertThat(pulled.succeeded()).as(pulled.transcript()).isTrue();

        switchTo(false);
        skopeo.succeed("copy", "--dest-tls-verify=false", oci(images.root(), "during"), docker(registry, "app:during"));
    }

    private void switchTo(boolean readOnly) {
        assertThat(registry.http().put("/berth/v1/maintenance", "application/json",
                ("{\"read-only\": " + readOnly + "}").getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }
}
