package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.testing.ManifestJson;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth promote --override REASON} on the data directory: the operator promotes a candidate
 * that a one-day minimum age refuses, the gate's failure is recorded with the reason, and
 * {@code berth promotions} shows the override. A blank reason is bad usage.
 */
class PromoteCommandTest {
    private static final String REASON = "CVE-2026-0001 fix, built minutes ago";

    @TempDir
    Path temporary;
    private Path configFile;
    private Digest candidate;

    @BeforeEach
    void pushACandidateUnderADayOld() throws IOException {
        Path data = temporary.resolve("data");
        configFile = temporary.resolve("berth.yml");
        Files.writeString(configFile, """
                listen: 127.0.0.1:0
                data-dir: %s
                promotion:
                  namespaces:
                    - from: "candidate/*"
                      to: "*"
                  gates:
                    - repositories: "**"
                      minimum-age-seconds: 86400
                """.formatted(data));
        try (TestRegistry registry = TestRegistry.startOn(data)) {
            RegistryHttp http = registry.http();
            TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
            TestBlob layer = TestBlob.random(500, 7);
            http.pushBlob("candidate/app", config.content());
            http.pushBlob("candidate/app", layer.content());
            candidate = http.pushManifest("candidate/app", "1.0", MediaTypes.OCI_MANIFEST,
                    ManifestJson.ociImage(config, layer).build().content());
        }
    }

    @Test
    void theOperatorOverridesAFailingGateAndTheTrailShowsWhy() {
        Run refused = berth("promote", "candidate/app:1.0", "app:1.0", "--config", configFile.toString(), "--actor", "ops");
        assertThat(refused.status()).as(refused.out() + refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("pushed only");

        Run promoted = berth("promote", "candidate/app:1.0", "app:1.0", "--config", configFile.toString(), "--actor", "ops",
                "--override", REASON);

        assertThat(promoted.status()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted OVERRIDDEN ops candidate/app@" + candidate + " -> app:1.0",
                "    override by ops, past failing gates: " + REASON, "[FAIL] minimum age 86400 s: pushed only");
        Run listed = berth("promotions", "--config", configFile.toString(), "--repository", "app");
        assertThat(listed.status()).isZero();
        assertThat(listed.out().lines().filter(line -> line.startsWith("#")).toList()).hasSize(2);
        assertThat(listed.out()).contains("promoted OVERRIDDEN ops", "override by ops, past failing gates: " + REASON);
    }

    @Test
    void aBlankOrControlCharacterReasonIsBadUsage() {
        Run blank = berth("promote", "candidate/app:1.0", "app:1.0", "--config", configFile.toString(), "--override", "  ");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("an override needs a reason");
        Run newline = berth("promote", "candidate/app:1.0", "app:1.0", "--config", configFile.toString(),
                "--override", "fix\nforged");
        assertThat(newline.status()).isEqualTo(2);
        assertThat(newline.err()).contains("must not contain control characters");
        assertThat(berth("promotions", "--config", configFile.toString()).out()).as("nothing was attempted").isEmpty();
    }

    record Run(int status, String out, String err) {
    }

    /** Runs {@code berth ARGUMENTS…}; these commands print to the standard streams. */
    private static Run berth(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream standardOut = System.out;
        PrintStream standardErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = BerthCommand.commandLine().execute(arguments);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(standardOut);
            System.setErr(standardErr);
        }
    }
}
