package io.berth.integrity;

import io.berth.metadata.BlobTotals;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RecordedBlob;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.storage.BlobInventory;
import io.berth.storage.CommittedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * The store against the records, in digest order: both listings are walked side by side a page at a
 * time, every stored blob is re-hashed against its name, and each digest ends up in one of four
 * states — intact and recorded, intact but recorded nowhere, recorded but not stored, or stored
 * with bytes that do not match. With repair, a blob whose bytes do not match is quarantined, and
 * a blob that is not stored intact is forgotten by the metadata (record and links), so that the
 * registry answers 404 for it and clients push it again.
 */
final class BlobPass {
    /** Blobs listed per request to the store and to the database. */
    static final int PAGE = 500;
    /** Repositories named in one finding; the rest are counted. */
    private static final int NAMED_REPOSITORIES = 10;

    private final MetadataStore metadata;
    private final BlobInventory store;
    private final ContentHasher hasher;
    private final boolean repair;

    BlobPass(MetadataStore metadata, BlobInventory store, ContentHasher hasher, boolean repair) {
        this.metadata = metadata;
        this.store = store;
        this.hasher = hasher;
        this.repair = repair;
    }

    /**
     * Checks blobs after {@code state.after} until the end, or until {@code stop} says so.
     *
     * @return true when the pass reached the end
     */
    boolean run(RunState state, Fsck.Pacing pacing, CheckProgress progress) throws IOException, InterruptedException {
        Optional<Digest> start = state.after.map(Digest::parse);
        BlobTotals ahead = metadata.read(session -> session.integrity().recordedTotals(start));
        progress.started("blobs", ahead.blobs(), ahead.bytes());
        PagedCursor<CommittedBlob> stored = new PagedCursor<>(after -> store.committedBlobs(after, PAGE),
                CommittedBlob::digest, start);
        PagedCursor<RecordedBlob> recorded = new PagedCursor<>(
                after -> metadata.read(session -> session.integrity().recordedBlobs(after, PAGE)),
                RecordedBlob::digest, start);
        try {
            while (true) {
                if (pacing.shouldStop(state)) {
                    return false;
                }
                Optional<CommittedBlob> nextStored = stored.peek();
                Optional<RecordedBlob> nextRecorded = recorded.peek();
                if (nextStored.isEmpty() && nextRecorded.isEmpty()) {
                    return true;
                }
                int order = nextStored.isEmpty() ? 1 : nextRecorded.isEmpty() ? -1
                        : BlobInventory.DIGEST_ORDER.compare(nextStored.get().digest(), nextRecorded.get().digest());
                Optional<CommittedBlob> blob = order <= 0 ? nextStored : Optional.empty();
                Optional<RecordedBlob> record = order >= 0 ? nextRecorded : Optional.empty();
                Digest digest = blob.map(CommittedBlob::digest).orElseGet(() -> record.orElseThrow().digest());
                long read = check(digest, blob, record, state.findings);
                if (blob.isPresent()) {
                    stored.advance();
                }
                if (record.isPresent()) {
                    recorded.advance();
                }
                state.after = Optional.of(digest.toString());
                state.blobsChecked++;
                state.bytesChecked += read;
                state.itemsThisRun++;
                state.bytesThisRun += read;
                progress.advanced(read);
                pacing.checkpointIfDue(state);
            }
        } finally {
            progress.finished();
        }
    }

    /** Checks one digest; returns the bytes read. */
    private long check(Digest digest, Optional<CommittedBlob> listed, Optional<RecordedBlob> record, Findings findings)
            throws InterruptedException, IOException {
        // The store was listed a page earlier than the records: a blob pushed since is there now.
        Optional<CommittedBlob> blob = listed.isPresent() ? listed
                : optional(store.size(digest)).map(size -> new CommittedBlob(digest, size));
        if (blob.isEmpty()) {
            findings.add(absent(Finding.Kind.MISSING_BLOB, digest, record.orElseThrow().size(),
                    "is recorded (" + record.orElseThrow().size() + " bytes) but not in the blob store", false));
            return 0;
        }
        long size = blob.get().size();
        ContentHasher.Hashed hashed;
        try (InputStream in = store.open(digest, 0, size)) {
            hashed = hasher.hash(in, digest.algorithm());
        } catch (NoSuchFileException e) {
            if (record.isPresent()) {
                findings.add(absent(Finding.Kind.MISSING_BLOB, digest, record.get().size(),
                        "is recorded but vanished from the blob store while being checked", false));
            }
            return 0;
        } catch (IOException e) {
            findings.add(new Finding(Finding.Kind.UNREADABLE_BLOB, digest.toString(), size,
                    "cannot be read from the blob store: " + e.getMessage() + "; run fsck again to retry it", false));
            return 0;
        }
        if ((!hashed.digest().equals(digest) || hashed.bytes() != size) && !replacedByAnIntactBlob(digest)) {
            findings.add(absent(Finding.Kind.CORRUPT_BLOB, digest, size, "holds " + hashed.bytes()
                    + " bytes that hash to " + hashed.digest() + (record.isEmpty() ? "; it is recorded nowhere" : ""), true));
        } else if (record.isEmpty()) {
            findings.add(unrecorded(digest, size));
        } else if (record.get().size() != size) {
            findings.add(absent(Finding.Kind.SIZE_MISMATCH, digest, size, "is intact (" + size
                    + " bytes) but recorded as " + record.get().size() + " bytes, which clients would refuse", false));
        }
        return hashed.bytes();
    }

    /**
     * Intact bytes no record mentions (a push cut short between its commit and its record). With
     * repair they are recorded, linked nowhere, so that garbage collection removes them with its usual
     * care: an upload of the same digest completing meanwhile links the record, and the blob stays.
     */
    private Finding unrecorded(Digest digest, long size) {
        String what = "is intact in the blob store but recorded nowhere (a push cut short); it only takes space";
        if (!repair) {
            return new Finding(Finding.Kind.UNRECORDED_BLOB, digest.toString(), size, what, false);
        }
        metadata.inTransaction(session -> {
            session.recordBlob(digest, size);
            return null;
        });
        return new Finding(Finding.Kind.UNRECORDED_BLOB, digest.toString(), size,
                what + "; recorded for garbage collection to remove", true);
    }

    /**
     * True when the blob at {@code digest} is intact now: a push replaced the damaged bytes after
     * they were read (commits replace what is stored), and nothing is to be reported or moved.
     */
    private boolean replacedByAnIntactBlob(Digest digest) throws IOException, InterruptedException {
        Optional<Long> size = optional(store.size(digest));
        if (size.isEmpty()) {
            return false;
        }
        try (InputStream in = store.open(digest, 0, size.get())) {
            ContentHasher.Hashed now = hasher.hash(in, digest.algorithm());
            return now.digest().equals(digest) && now.bytes() == size.get();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static Optional<Long> optional(java.util.OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    /**
     * A finding about a blob the registry cannot serve intact; with repair, the bytes are quarantined
     * (when {@code quarantine}) and the metadata forgets the blob.
     */
    private Finding absent(Finding.Kind kind, Digest digest, long bytes, String what, boolean quarantine)
            throws IOException {
        if (!repair) {
            List<RepositoryName> linking = metadata.read(session -> session.integrity().repositoriesLinking(digest));
            return new Finding(kind, digest.toString(), bytes, what + (linking.isEmpty() ? ""
                    : "; linked from " + names(linking)), false);
        }
        Optional<String> movedTo = quarantine ? store.quarantine(digest) : Optional.empty();
        List<RepositoryName> unlinked = metadata.inTransaction(session -> session.integrity().forgetBlob(digest));
        String repaired = movedTo.map(where -> "; quarantined to " + where).orElse("")
                + (unlinked.isEmpty() ? "" : "; record removed and unlinked from " + names(unlinked)
                + ": push it again to any of them");
        return new Finding(kind, digest.toString(), bytes, what + repaired, true);
    }

    private static String names(List<RepositoryName> repositories) {
        String named = String.join(", ", repositories.stream().limit(NAMED_REPOSITORIES).map(RepositoryName::value).toList());
        return repositories.size() > NAMED_REPOSITORIES
                ? named + " and " + (repositories.size() - NAMED_REPOSITORIES) + " more" : named;
    }
}
