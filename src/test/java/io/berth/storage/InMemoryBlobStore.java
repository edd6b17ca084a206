package io.berth.storage;

import io.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A blob store held in memory: a hand-written fake for tests of the layers above storage. It passes
 * {@link BlobStoreContract}, so whatever a test learns against it holds for the real stores too.
 * Every method is synchronized; a fake need not be fast.
 */
public final class InMemoryBlobStore implements BlobStore, BlobInventory {
    private final Map<Digest, byte[]> blobs = new HashMap<>();
    private final Map<UploadId, Staged> staging = new HashMap<>();
    private long nextVersion = 1;

    /** Staged bytes and the number that versions them. */
    private record Staged(byte[] content, long version) {
        StagedBytes bytes() {
            return new StagedBytes(content.length, Long.toString(version));
        }
    }

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
        staging.put(id, new Staged(new byte[0], 0));
    }

    @Override
    public int appendBufferBytes() {
        // InputStream.transferTo copies through a 16 KiB buffer; the staged bytes themselves are in memory anyway.
        return 16 * 1024;
    }

    @Override
    public synchronized Optional<StagedBytes> staged(UploadId id) {
        return Optional.ofNullable(staging.get(id)).map(Staged::bytes);
    }

    @Override
    public synchronized Appended append(UploadId id, long offset, InputStream data) throws IOException {
        Staged before = staging.get(id);
        if (before == null) {
            throw new StagingLost(id);
        }
        if (before.content().length != offset) {
            throw new StagingConflict("staged " + before.content().length + ", not " + offset, before.content().length);
        }
        ByteArrayOutputStream appended = new ByteArrayOutputStream();
        appended.writeBytes(before.content());
        data.transferTo(appended);
        if (appended.size() == before.content().length) {
            return new Appended(before.bytes(), before.bytes());
        }
        Staged after = new Staged(appended.toByteArray(), nextVersion++);
        staging.put(id, after);
        return new Appended(before.bytes(), after.bytes());
    }

    @Override
    public synchronized InputStream openStaged(UploadId id) throws IOException {
        Staged staged = staging.get(id);
        if (staged == null) {
            throw new StagingLost(id);
        }
        return new ByteArrayInputStream(staged.content());
    }

    @Override
    public synchronized void commit(UploadId id, StagedBytes expected, Digest digest) throws IOException {
        Staged staged = staging.get(id);
        if (staged == null) {
            throw new StagingLost(id);
        }
        if (!staged.bytes().equals(expected)) {
            throw new StagingConflict("changed after verification", staged.content().length);
        }
        staging.remove(id);
        blobs.put(digest, staged.content());
    }

    /** Replaces the staged bytes of {@code id} behind the registry's back, as a damaged disk or a foreign writer would. */
    public synchronized void tamperWithStaging(UploadId id, byte[] content) {
        staging.put(id, new Staged(content.clone(), nextVersion++));
    }

    /** Stores {@code content} under {@code digest} without verification, as a damaged disk would. */
    public synchronized void tamperWithBlob(Digest digest, byte[] content) {
        blobs.put(digest, content.clone());
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

    @Override
    public synchronized void delete(Digest digest) {
        blobs.remove(digest);
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
