package io.berth.ui;

import io.berth.oci.Digest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** How pages write sizes, times, digests and platforms. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Format() {
    }

    /** {@code 1.4 MiB}; bytes below a KiB as a count. */
    public static String bytes(long size) {
        double value = size;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? size + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    public static String bytes(OptionalLong size) {
        return size.isPresent() ? bytes(size.getAsLong()) : "—";
    }

    public static String time(Optional<Instant> instant) {
        return instant.map(TIME::format).orElse("—");
    }

    /** The first 12 hexadecimal characters, as {@code podman images} shows an image id. */
    public static String shortDigest(Digest digest) {
        String encoded = digest.encoded();
        return encoded.substring(0, Math.min(12, encoded.length()));
    }

    public static String platforms(List<Platform> platforms) {
        return platforms.isEmpty() ? "—" : String.join(", ", platforms.stream().map(Platform::toString).toList());
    }
}
