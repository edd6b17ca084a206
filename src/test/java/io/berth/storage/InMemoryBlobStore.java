package io.berth.storage;

import io.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A blob store held in memory: a hand-written fake for tests of the layers above storage. It passes
 * {@link BlobStoreContract}, so whatever a test learns against it holds for the real stores too.
 * Every method is synchronized; a fake need not be fast.
 */
public final class InMemoryBlobStore implements BlobStore, BlobInventory {
    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final Map<UploadId, byte[]> staging = new HashMap<>();

    @Override
    public void probe() {
    }

    @Override
    public synchronized java.util.List<UploadId> stagedUploads() {
        return java.util.List.copyOf(staging.keySet());
    }

    @Override
    public synchronized OptionalLong size(Digest digest) {
        byte[] blob = blobs.get(digest);
        return blob == null ? OptionalLong.empty() : OptionalLong.of(blob.length);
    }

    @Override
    public synchronized InputStream open(Digest digest, long offset, long length) throws IOException {
        byte[] blob = blobs.get(digest);
        if (blob == null) {
            throw new NoSuchFileException(digest.toString());
        }
        int start = (int) Math.min(offset, blob.length);
        int end = (int) Math.min(blob.length, offset + length);
        return new ByteArrayInputStream(blob, start, end - start);
    }

    @Override
    public synchronized void create(UploadId id) {
        staging.put(id, new byte[0]);
    }

    @Override
    public synchronized long append(UploadId id, long offset, InputStream data) throws IOException {
        byte[] staged = staging.get(id);
        if (staged == null) {
            // Like the filesystem store: lost staging may only start again from zero.
            if (offset != 0) {
                throw new NoSuchFileException("upload " + id);
            }
            staged = new byte[0];
        }
        if (staged.length < offset) {
            throw new IOException("staging of upload " + id + " holds " + staged.length + " bytes, expected " + offset);
        }
        byte[] kept = Arrays.copyOf(staged, (int) offset);
        staging.put(id, kept);
        ByteArrayOutputStream appended = new ByteArrayOutputStream();
        appended.writeBytes(kept);
        data.transferTo(appended);
        staging.put(id, appended.toByteArray());
        return appended.size();
    }

    @Override
    public synchronized InputStream openStaged(UploadId id) {
        byte[] staged = staging.get(id);
        return staged == null ? InputStream.nullInputStream() : new ByteArrayInputStream(staged);
    }

    @Override
    public synchronized void commit(UploadId id, Digest digest) {
        byte[] staged = staging.remove(id);
        blobs.putIfAbsent(digest, staged == null ? new byte[0] : staged);
    }

    @Override
    public synchronized void discard(UploadId id) {
        staging.remove(id);
    }

    /** True while an upload session has staged bytes (or empty staging) here. */
    public synchronized boolean hasStaging(UploadId id) {
        return staging.containsKey(id);
    }

    // --- the inventory berth fsck walks --------------------------------------------------------

    private final java.util.List<Map.Entry<Digest, byte[]>> quarantined = new java.util.ArrayList<>();

    @Override
    public synchronized java.util.List<CommittedBlob> committedBlobs(java.util.Optional<Digest> after, int limit) {
        return blobs.entrySet().stream()
                .filter(entry -> after.isEmpty() || DIGEST_ORDER.compare(entry.getKey(), after.get()) > 0)
                .sorted(Map.Entry.comparingByKey(DIGEST_ORDER))
                .limit(limit)
                .map(entry -> new CommittedBlob(entry.getKey(), entry.getValue().length))
                .toList();
    }

    @Override
    public synchronized java.util.Optional<String> quarantine(Digest digest) {
        byte[] blob = blobs.remove(digest);
        if (blob == null) {
            return java.util.Optional.empty();
        }
        quarantined.add(Map.entry(digest, blob));
        return java.util.Optional.of("memory:quarantine/" + digest + "/" + (quarantined.size() - 1));
    }

    /** Replaces a committed blob's bytes, as a failing disk or a careless hand would; for integrity tests. */
    public synchronized void corrupt(Digest digest, byte[] content) {
        if (blobs.replace(digest, content.clone()) == null) {
            throw new IllegalArgumentException("no blob " + digest);
        }
    }

    /** Puts bytes at a content address without an upload, matching it or not; for integrity tests. */
    public synchronized void put(Digest digest, byte[] content) {
        blobs.put(digest, content.clone());
    }

    /** The bytes of every quarantine of {@code digest}, oldest first. */
    public synchronized java.util.List<byte[]> quarantinedBytes(Digest digest) {
        return quarantined.stream().filter(entry -> entry.getKey().equals(digest)).map(Map.Entry::getValue).toList();
    }
}
