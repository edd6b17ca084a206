package io.berth.integrity;

import io.berth.oci.Digest;
import io.berth.storage.BlobInventory;
import io.berth.storage.BlobLayout;
import io.berth.storage.BlobTree;
import io.berth.storage.CommittedBlob;
import io.berth.storage.LocalBlobFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The mirror tree ({@code berth mirror export}) against the store, in digest order, after the blob
 * pass. A file that is a hard link to the store's blob is the blob itself, which the blob pass
 * judged; any other file is re-hashed against its name. With repair, a file that does not match is
 * replaced by a hard link to the store's blob (or a verified copy), or removed when the store does
 * not hold the blob intact, so that the next export after a new push puts the right bytes there.
 */
final class MirrorTreePass {
    private static final String TEMPORARY_PREFIX = ".berth-fsck-";

    private final BlobInventory store;
    private final ContentHasher hasher;
    private final boolean repair;
    private final Path tree;

    MirrorTreePass(BlobInventory store, ContentHasher hasher, boolean repair, Path tree) {
        this.store = store;
        this.hasher = hasher;
        this.repair = repair;
        this.tree = tree;
    }

    boolean run(RunState state, Fsck.Pacing pacing, CheckProgress progress) throws IOException, InterruptedException {
        BlobLayout layout = new BlobLayout(tree);
        BlobTree files = new BlobTree(layout.blobsRoot());
        PagedCursor<CommittedBlob> cursor = new PagedCursor<>(after -> files.list(after, BlobPass.PAGE),
                CommittedBlob::digest, state.after.map(Digest::parse));
        progress.started("mirror tree", 0, 0);
        try {
            for (Optional<CommittedBlob> next; (next = cursor.peek()).isPresent(); cursor.advance()) {
                if (pacing.shouldStop(state)) {
                    return false;
                }
                CommittedBlob file = next.get();
                long read = check(layout.blob(file.digest()), file.digest(), state.findings);
                state.after = Optional.of(file.digest().toString());
                state.mirrorChecked++;
                state.itemsThisRun++;
                state.bytesThisRun += read;
                progress.advanced(read);
                pacing.checkpointIfDue(state);
            }
            return true;
        } finally {
            progress.finished();
        }
    }

    /** Checks one mirror-tree file; returns the bytes read. */
    private long check(Path file, Digest digest, Findings findings) throws IOException, InterruptedException {
        OptionalLong stored = store.size(digest);
        Optional<Path> storeFile = store instanceof LocalBlobFiles local ? local.localFile(digest) : Optional.empty();
        if (storeFile.isPresent() && Files.isSameFile(storeFile.get(), file)) {
            return 0; // the store's own file, checked by the blob pass
        }
        ContentHasher.Hashed hashed;
        try (InputStream in = Files.newInputStream(file)) {
            hashed = hasher.hash(in, digest.algorithm());
        }
        if (hashed.digest().equals(digest)) {
            if (stored.isEmpty()) {
                findings.add(new Finding(Finding.Kind.MIRROR_FILE_WITHOUT_BLOB, file.toString(), hashed.bytes(),
                        "holds the right bytes for " + digest + ", which the blob store does not hold", false));
            }
            return hashed.bytes();
        }
        String what = "holds bytes that hash to " + hashed.digest() + ", not " + digest;
        if (!repair) {
            findings.add(new Finding(Finding.Kind.MIRROR_FILE_DIFFERS, file.toString(), hashed.bytes(), what, false));
        } else if (stored.isPresent()) {
            replace(file, digest, stored.getAsLong(), storeFile);
            findings.add(new Finding(Finding.Kind.MIRROR_FILE_DIFFERS, file.toString(), hashed.bytes(),
                    what + "; replaced by the store's blob (mirrors pick it up at their next sync)", true));
        } else {
            Files.delete(file);
            findings.add(new Finding(Finding.Kind.MIRROR_FILE_DIFFERS, file.toString(), hashed.bytes(), what
                    + "; removed (the next export after a new push of the blob puts it back)", true));
        }
        return hashed.bytes();
    }

    /** Puts the store's blob in place of {@code file}: a hard link when possible, else a verified copy. */
    private void replace(Path file, Digest digest, long size, Optional<Path> storeFile) throws IOException, InterruptedException {
        Path temporary = file.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID());
        try {
            if (!link(storeFile, temporary)) {
                MessageDigest hash = digest.algorithm().newMessageDigest();
                try (InputStream in = store.open(digest, 0, size); OutputStream out = Files.newOutputStream(temporary)) {
                    byte[] buffer = new byte[ContentHasher.BUFFER_BYTES];
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        hash.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
                Digest copied = Digest.fromHash(digest.algorithm(), hash.digest());
                if (!copied.equals(digest)) {
                    throw new IOException("blob " + digest + " reads back from the store as " + copied);
                }
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean link(Optional<Path> storeFile, Path target) {
        if (storeFile.isEmpty()) {
            return false;
        }
        try {
            Files.createLink(target, storeFile.get());
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
