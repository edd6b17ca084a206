package io.berth.clients;

import io.berth.testing.LayerContent;
import io.berth.testing.OciImage;
import io.berth.testing.OciIndex;
import io.berth.testing.OciLayoutBuilder;
import io.berth.testing.Platform;
import java.util.List;

/**
 * The images the client tests push: small but real. Each has a base layer shared by every platform
 * and a payload layer of pseudo-random bytes, so uploads move megabytes, not a handful of bytes.
 */
public final class SampleImages {
    static final String TITLE_LABEL = "org.opencontainers.image.title";
    static final String TITLE = "berth-client-test";
    /** Large enough that clients stream the layer in more than one buffer, small enough for vfs copies. */
    static final int PAYLOAD_BYTES = 3 * 1024 * 1024;

    private SampleImages() {
    }

    /** A two-layer image for {@code platform}; {@code seed} picks the payload's bytes. */
    public static OciImage application(OciLayoutBuilder layout, Platform platform, int payloadBytes, long seed) {
        return layout.image(platform)
                .layer(LayerContent.empty()
                        .directory("etc")
                        .file("etc/os-release", "ID=berth-test\nNAME=\"Berth client test\"\n")
                        .directory("bin")
                        .file("bin/README", "no programs: this image is only pushed and pulled\n"))
                .layer(LayerContent.empty()
                        .directory("srv")
                        .file("srv/platform", platform.toString() + "\n")
                        .randomFile("srv/payload.bin", payloadBytes, seed))
                .label(TITLE_LABEL, TITLE)
                .env("BERTH_PLATFORM=" + platform)
                .cmd("/bin/sh", "-c", "cat /srv/platform")
                .build();
    }

    static OciImage application(OciLayoutBuilder layout) {
        return application(layout, Platform.LINUX_AMD64, PAYLOAD_BYTES, 1);
    }

    /** An index over a linux/amd64 and a linux/arm64 image that share their base layer. */
    static OciIndex multiPlatform(OciLayoutBuilder layout) {
        return layout.index(List.of(
                application(layout, Platform.LINUX_AMD64, 1024 * 1024, 11),
                application(layout, Platform.LINUX_ARM64, 1024 * 1024, 12)));
    }
}
