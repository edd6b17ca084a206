package io.berth.storage;

import io.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Moves a blob file of a data directory into its quarantine ({@link BlobLayout#quarantined}). */
final class FilesystemQuarantine {
    /** More quarantines of one digest than anyone keeps; past this the operator has to clean up. */
    private static final int MAX_ATTEMPTS = 1000;

    private FilesystemQuarantine() {
    }

    static Optional<String> move(BlobLayout layout, Digest digest) throws IOException {
        Path blob = layout.blob(digest);
        if (!Files.isRegularFile(blob)) {
            return Optional.empty();
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Path target = layout.quarantined(digest, attempt);
            if (Files.exists(target)) {
                continue;
            }
            PrivateFiles.createDirectories(target.getParent());
            try {
                // A rename on the same filesystem: keeps the bytes and the inode, never replaces an earlier quarantine.
                Files.move(blob, target);
            } catch (FileAlreadyExistsException e) {
                continue;
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            return Optional.of(target.toString());
        }
        throw new IOException("blob " + digest + " was quarantined " + MAX_ATTEMPTS + " times; clean up " + layout.quarantineRoot());
    }
}
