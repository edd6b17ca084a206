package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the YAML configuration loader with arbitrary file contents. Property: a file Berth cannot
 * use fails with {@link ConfigException}, whose message names the file, and nothing else (no
 * stack trace from deep inside the YAML library, no endless alias expansion); a file it can use
 * yields a configuration.
 */
class ConfigLoaderFuzzTest {
    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "2m")
    void configurationFiles(byte @NotNull [] content) throws IOException {
        Files.write(FILE, content);
        try {
            assertThat(ConfigLoader.load(FILE)).isNotNull();
        } catch (ConfigException refused) {
            assertThat(refused.getMessage()).startsWith(FILE.toString());
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("berth-config-fuzz", ".yml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
