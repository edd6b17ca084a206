package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tag-protection} keys and their defaults, as {@code docs/configuration.md} lists them. */
class TagProtectionConfigTest {
    @TempDir
    Path directory;

    @Test
    void readsEveryKey() throws IOException {
        BerthConfig config = ConfigLoader.load(write("""
                tag-protection:
                  - repositories: "fedora/*"
                    immutable-tags: ["41.*", "42.*"]
                    protected-tags: ["latest"]
                    principals: ["alice", "robot$release", "ci@https://issuer.example"]
                """));

        assertThat(config.tagProtection()).containsExactly(new TagProtectionConfig("fedora/*", List.of("41.*", "42.*"),
                List.of("latest"), List.of("alice", "robot$release", "ci@https://issuer.example")));
    }

    @Test
    void protectsNothingByDefaultAndEachListDefaultsToEmpty() throws IOException {
        assertThat(BerthConfig.defaults().tagProtection()).isEmpty();
        assertThat(ConfigLoader.load(write("tag-protection:\n  - repositories: \"**\"\n")).tagProtection())
                .containsExactly(new TagProtectionConfig("**", List.of(), List.of(), List.of()));
    }

    @Test
    void refusesAnEntryWithoutRepositoriesAndUnknownKeys() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("tag-protection:\n  - immutable-tags: [\"1.*\"]\n")))
                .withMessageContaining("repositories");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("tag-protection:\n  - repositories: \"**\"\n    immutable: [\"1.*\"]\n")));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(directory, "berth", ".yml"), yaml);
    }
}
