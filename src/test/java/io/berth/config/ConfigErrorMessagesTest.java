package io.berth.config;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration error is one line naming the file, the line and the key path, in Berth's words:
 * no YAML library wording, no Java type names.
 */
class ConfigErrorMessagesTest {
    @TempDir
    Path directory;

    @Test
    void anUnknownPolicyActionNamesItsLineAndKeyPath() throws IOException {
        Path file = write("""
                auth:
                  htpasswd: /etc/berth/htpasswd
                  policy:
                    - repositories: "**"
                      anonymous: true
                      actions: [pull]
                    - repositories: "candidate/**"
                      users: [alice]
                      actions: [pull, push]
                    - repositories: "stable/**"
                      users: [bob]
                      actions: [pul]
                """);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 12: auth.policy[2].actions: unknown action 'pul'"
                        + " (use pull, push, delete, promote, admin)");
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingBothLines() throws IOException {
        Path file = write("""
                listen: 127.0.0.1:5000
                data-dir: /var/lib/berth
                listen: 0.0.0.0:5000
                """);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 3: listen: duplicate key 'listen' (first at line 1; give each key once)");
    }

    @Test
    void aNestedKeyGivenTwiceIsRefusedNamingBothLines() throws IOException {
        Path file = write("""
                gc:
                  interval-seconds: 600
                  grace-seconds: 60

                  grace-seconds: 86400
                """);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 5: gc.grace-seconds: duplicate key 'grace-seconds' (first at line 3; give each key once)");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndASuggestion() throws IOException {
        Path file = write("""
                listen: 127.0.0.1:5000
                data-directory: /var/lib/berth
                """);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 2: unknown key 'data-directory' (did you mean 'data-dir'?)");
    }

    @Test
    void anUnknownNestedKeyNamesItsSection() throws IOException {
        Path file = write("tls:\n  certificate: c.pem\n  key: k.pem\n  reload-secs: 5\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 4: tls: unknown key 'reload-secs' (did you mean 'reload-seconds'?)");
    }

    @Test
    void anUnknownKeyFarFromEveryKnownOneHasNoSuggestion() throws IOException {
        Path file = write("colour: blue\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 1: unknown key 'colour'");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() throws IOException {
        Path file = write("listen: 127.0.0.1:5000\nshutdown-grace-seconds: soon\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 2: shutdown-grace-seconds: expected a whole number");
    }

    @Test
    void aRefusedValueInASectionNamesItsLine() throws IOException {
        Path file = write("tls:\n  certificate: c.pem\n  key: k.pem\n  reload-seconds: 0\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 4: tls.reload-seconds must be at least 1");
    }

    @Test
    void anAuditRetentionBeyondACenturyIsATypo() throws IOException {
        Path file = write("gc:\n  audit-retention-days: 3650000\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessageEndingWith("gc.audit-retention-days must be between 0 (keep for ever) and 36500");
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        Path file = write("listen: 127.0.0.1:5000\ngc: [unclosed\n");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(file))
                .withMessage(file + ": line 2: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    }

    @Test
    void aMissingFileIsNotFound() {
        Path missing = directory.resolve("berth.yml");

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(missing))
                .withMessage(missing + ": not found");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.load(directory))
                .withMessage(directory + ": is a directory, not a configuration file");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(directory.resolve("berth.yml"), yaml);
    }
}
