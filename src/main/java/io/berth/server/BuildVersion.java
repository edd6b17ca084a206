package io.berth.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The version of this build: the project version from {@code pom.xml} and, when the jar was built
 * in a git checkout, the commit and the day it was built. The build writes them into
 * {@code version.properties}; a value the build could not fill in stays a {@code ${…}} placeholder
 * and counts as unknown.
 *
 * @param version the project version, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}
 * @param commit  the abbreviated commit hash, when known
 * @param built   the build date ({@code yyyy-MM-dd}, UTC), when known
 */
public record BuildVersion(String version, Optional<String> commit, Optional<String> built) {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public BuildVersion {
        if (version.isBlank()) {
            throw new IllegalArgumentException("a version is not blank");
        }
        commit = commit.filter(value -> COMMIT.matcher(value).matches());
        built = built.filter(value -> DATE.matcher(value).matches());
    }

    /** The version of the running code, as the build recorded it. */
    public static BuildVersion current() {
        Properties properties = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's version.properties", e);
        }
        String version = properties.getProperty("version", "");
        return new BuildVersion(version.isBlank() || version.startsWith("${") ? "unknown" : version,
                Optional.ofNullable(properties.getProperty("commit")), Optional.ofNullable(properties.getProperty("built")));
    }

    /** {@code 0.1.0-SNAPSHOT (commit 4ac67ef, built 2026-12-05)}, or {@code 0.1.0 (commit unknown)}. */
    public String describe() {
        return version + " (commit " + commit.orElse("unknown") + built.map(date -> ", built " + date).orElse("") + ")";
    }
}
