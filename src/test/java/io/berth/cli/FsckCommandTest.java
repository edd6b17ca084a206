package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.storage.BlobLayout;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth fsck} on a real data directory filled by pushes over HTTP: a byte flipped in a blob
 * file is reported with exit status 1; {@code --repair} quarantines it so that a blob {@code HEAD}
 * answers 404, the client pushes the same content again, and {@code GET} serves the right bytes; a
 * check told to stop is continued by the next run, which reads only the rest.
 */
class FsckCommandTest {
    @TempDir
    Path data;

    @Test
    void aFlippedByteIsFoundRepairedAndPushedAgain() throws Exception {
        TestBlob layer = TestBlob.random(200_000, 7);
        Digest manifest;
        try (TestRegistry registry = TestRegistry.startOn(data)) {
            manifest = pushImage(registry.http(), "fedora/app", layer);
        }
        Path blobFile = new BlobLayout(data).blob(layer.digest());
        byte[] corrupted = Files.readAllBytes(blobFile);
        corrupted[12_345] ^= 0x20;
        Files.write(blobFile, corrupted);

        Run check = fsck("--data", data.toString());

        assertThat(check.status).as(check.out).isEqualTo(FsckCommand.PROBLEMS);
        assertThat(check.out).contains("PROBLEM corrupt blob: " + layer.digest())
                .contains("linked from fedora/app")
                .contains("PROBLEM dangling reference: fedora/app@" + manifest)
                .contains("run berth fsck --repair");
        assertThat(blobFile).as("a check changes nothing").hasBinaryContent(corrupted);

        Run repair = fsck("--data", data.toString(), "--repair");

        assertThat(repair.status).as(repair.out).isEqualTo(FsckCommand.PROBLEMS);
        assertThat(repair.out).contains("[repaired]").contains("quarantined to");
        assertThat(blobFile).doesNotExist();
        assertThat(new BlobLayout(data).quarantined(layer.digest(), 0)).hasBinaryContent(corrupted);

        try (TestRegistry registry = TestRegistry.startOn(data)) {
            RegistryHttp http = registry.http();
            assertThat(http.head("/v2/fedora/app/blobs/" + layer.digest()).statusCode()).isEqualTo(404);
            assertThat(http.get("/v2/fedora/app/blobs/" + layer.digest()).statusCode()).isEqualTo(404);

            http.pushBlob("fedora/app", layer.content());

            HttpResponse<byte[]> served = http.get("/v2/fedora/app/blobs/" + layer.digest());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(layer.content());
        }
        Run after = fsck("--data", data.toString());
        assertThat(after.status).as(after.out).isEqualTo(FsckCommand.CLEAN);
        assertThat(after.out).contains("result: no problems");
    }

    @Test
    void aStoppedCheckIsContinuedByTheNextRunWhichReadsOnlyTheRest() throws Exception {
        List<TestBlob> blobs = new ArrayList<>();
        try (TestRegistry registry = TestRegistry.startOn(data)) {
            for (int i = 0; i < 4; i++) {
                TestBlob blob = TestBlob.random(10_000 + i, 40 + i);
                registry.http().pushBlob("app", blob.content());
                blobs.add(blob);
            }
        }

        Run first = fsck("--data", data.toString(), "--stop-after", "3", "--quiet");

        assertThat(first.status).as(first.out).isEqualTo(FsckCommand.INCOMPLETE);
        assertThat(first.out).contains("blobs checked:       3").contains("stopped before the end");
        assertThat(data.resolve("fsck-checkpoint.json")).exists();

        Run second = fsck("--data", data.toString(), "--quiet");

        assertThat(second.status).as(second.out).isEqualTo(FsckCommand.CLEAN);
        assertThat(second.out).contains("continued an earlier check: blobs pass after sha256:")
                .contains("blobs checked:       4").contains("read by this run:    1 blobs and files");
        assertThat(data.resolve("fsck-checkpoint.json")).doesNotExist();

        Run restarted = fsck("--data", data.toString(), "--restart", "--stop-after", "3", "--quiet");
        Run fromScratch = fsck("--data", data.toString(), "--restart", "--quiet");
        assertThat(restarted.status).isEqualTo(FsckCommand.INCOMPLETE);
        assertThat(fromScratch.out).doesNotContain("continued").contains("read by this run:    4 blobs and files");
    }

    @Test
    void aBadRateIsAUsageError() {
        Run run = fsck("--data", data.toString(), "--max-bytes-per-second", "fast");

        assertThat(run.status).isEqualTo(FsckCommand.USAGE);
        assertThat(run.err).contains("not a byte count");
    }

    @Test
    void ratesTakeBinaryUnits() {
        assertThat(FsckCommand.parseByteCount("1048576")).isEqualTo(1_048_576);
        assertThat(FsckCommand.parseByteCount("512K")).isEqualTo(512 * 1024);
        assertThat(FsckCommand.parseByteCount("50M")).isEqualTo(50L * 1024 * 1024);
        assertThat(FsckCommand.parseByteCount("2GiB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThatIllegalArgumentException().isThrownBy(() -> FsckCommand.parseByteCount("0"));
        assertThatIllegalArgumentException().isThrownBy(() -> FsckCommand.parseByteCount("-5M"));
    }

    /** Pushes a one-layer image and returns the manifest's digest. */
    static Digest pushImage(RegistryHttp http, String repository, TestBlob layer) {
        TestBlob config = TestBlob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        http.pushBlob(repository, config.content());
        http.pushBlob(repository, layer.content());
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, config.digest(), config.size(), layer.digest(), layer.size());
        return http.pushManifest(repository, "1", MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    }

    record Run(int status, String out, String err) {
    }

    static Run fsck(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = BerthCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[arguments.length + 1];
        all[0] = "fsck";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        int status = command.execute(all);
        return new Run(status, out.toString(), err.toString());
    }
}
