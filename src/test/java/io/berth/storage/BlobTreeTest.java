package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.TestBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A filesystem blob tree is listed by the names of its files: only a file named like a blob at its
 * own address counts, so half-written temporary files and strays are never taken for blobs.
 */
class BlobTreeTest {
    @TempDir
    Path root;

    @Test
    void onlyFilesNamedLikeABlobAtTheirAddressAreListed() throws IOException {
        BlobLayout layout = new BlobLayout(root);
        TestBlob blob = TestBlob.of("a blob");
        write(layout.blob(blob.digest()), blob.content());
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, "long".getBytes());
        write(layout.blob(sha512), "long".getBytes());
        String hex = TestBlob.of("misplaced").digest().encoded();
        write(layout.blobsRoot().resolve("sha256").resolve("00").resolve(hex), new byte[3]);
        write(layout.blob(blob.digest()).resolveSibling(".berth-export-123"), new byte[1]);
        write(layout.blobsRoot().resolve("md5").resolve("ab").resolve("abcdef"), new byte[1]);
        Files.createDirectories(layout.blob(TestBlob.of("a directory").digest()));

        assertThat(new BlobTree(layout.blobsRoot()).list(Optional.empty(), 100))
                .containsExactly(new CommittedBlob(blob.digest(), blob.size()), new CommittedBlob(sha512, 4));
        assertThat(new BlobTree(layout.blobsRoot()).list(Optional.of(blob.digest()), 100))
                .containsExactly(new CommittedBlob(sha512, 4));
    }

    @Test
    void aTreeWithoutBlobsListsNothing() throws IOException {
        assertThat(new BlobTree(root.resolve("blobs")).list(Optional.empty(), 10)).isEmpty();
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
