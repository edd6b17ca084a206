package io.berth.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint survives the trip through its file unchanged; a damaged file is reported, not ignored. */
class CheckpointFileTest {
    @TempDir
    Path directory;

    @Test
    void aSavedCheckpointLoadsAsItWasSavedAndClearingForgetsIt() {
        CheckpointFile file = new CheckpointFile(directory.resolve(CheckpointFile.NAME));
        Finding finding = new Finding(Finding.Kind.CORRUPT_BLOB, "sha256:" + "a".repeat(64), 42, "holds other bytes", true);
        Checkpoint checkpoint = new Checkpoint("mirror", Optional.of("sha256:" + "b".repeat(64)), 7, 1234, 3,
                Map.of(Finding.Kind.CORRUPT_BLOB, 1L), Map.of(Finding.Kind.CORRUPT_BLOB, 42L), List.of(finding));

        file.save(checkpoint);

        assertThat(file.load()).hasValue(checkpoint);
        file.clear();
        assertThat(file.load()).isEmpty();
    }

    @Test
    void aCheckpointAtTheStartHasNoDigest() {
        CheckpointFile file = new CheckpointFile(directory.resolve(CheckpointFile.NAME));
        Checkpoint start = new Checkpoint("blobs", Optional.empty(), 0, 0, 0, Map.of(), Map.of(), List.of());

        file.save(start);

        assertThat(file.load()).hasValue(start);
    }

    @Test
    void aDamagedFileIsReportedWithTheWayOut() throws IOException {
        Path path = directory.resolve(CheckpointFile.NAME);
        Files.writeString(path, "{not json");

        assertThatThrownBy(() -> new CheckpointFile(path).load()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("--restart");
    }
}
