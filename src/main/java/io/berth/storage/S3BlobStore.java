package io.berth.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A blob store in an S3-compatible object store (AWS S3, Ceph RGW, MinIO), with the key layout of
 * {@link BlobLayout}.
 *
 * <p>An upload's bytes are staged as pieces of at most {@link #PIECE_BYTES}, each its own object
 * under {@code uploads/<id>/}, listed in order by a small state object there. Every piece is
 * readable, so any node can continue an upload, roll it back to an earlier offset, or re-hash it.
 * Commit assembles the verified blob at its content address with a multipart upload whose parts
 * are server-side copies of the pieces (small pieces are joined first, since parts other than the
 * last must hold at least 5 MiB), so the bytes do not pass through Berth again.
 */
public final class S3BlobStore implements BlobStore, BlobDownloadLinks, BlobInventory {
    /** Largest staged piece; a streamed chunk is cut into pieces of this size, held in memory one at a time. */
    static final int PIECE_BYTES = 8 * 1024 * 1024;
    /** Piece buffers shared by every append; one stays pooled between uploads. */
    private static final TransferBuffers PIECE_BUFFERS = new TransferBuffers(PIECE_BYTES, 1);
    /** The object store's smallest part other than the last (S3: 5 MiB). */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;
    private final Optional<S3Presigner> presigner;

    public S3BlobStore(S3Client s3, String bucket) {
        this(s3, bucket, Optional.empty());
    }

    /** A store that also signs download links with {@code presigner}, when present. */
    public S3BlobStore(S3Client s3, String bucket, Optional<S3Presigner> presigner) {
        this.s3 = s3;
        this.bucket = bucket;
        this.presigner = presigner;
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials(String accessKey,
                                                                                         String secretKey) {
        return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** A presigner for the same endpoint and credentials as {@link #client}. */
    public static S3Presigner presigner(java.net.URI endpoint, String region, String accessKey, String secretKey,
                                        boolean pathStyle) {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.of(region))
                .credentialsProvider(credentials(accessKey, secretKey))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(pathStyle).build())
                .build();
    }

    @Override
    public Optional<java.net.URI> downloadLink(Digest digest, java.time.Duration validity) {
        return presigner.map(signer -> {
            try {
                return signer.presignGetObject(request -> request.signatureDuration(validity)
                        .getObjectRequest(get -> get.bucket(bucket).key(BlobLayout.blobKey(digest)))).url().toURI();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException("the object store signed an invalid URL", e);
            }
        });
    }

    @Override
    public List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
        return new S3BlobInventory(s3, bucket).committedBlobs(after, limit);
    }

    /** Copies the object under {@code quarantine/} server-side, then deletes it from its content address. */
    @Override
    public Optional<String> quarantine(Digest digest) throws IOException {
        return new S3BlobInventory(s3, bucket).quarantine(digest);
    }

    /**
     * A client for an S3-compatible endpoint with static credentials. Path-style addressing suits
     * Ceph RGW and MinIO; transient failures are retried by the SDK's standard retry policy with
     * backoff. Checksums are sent only where the API requires them, which every compatible store
     * understands.
     */
    public static S3Client client(java.net.URI endpoint, String region, String accessKey, String secretKey,
                                  boolean pathStyle) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(software.amazon.awssdk.regions.Region.of(region))
                .credentialsProvider(credentials(accessKey, secretKey))
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(configuration -> configuration.retryStrategy(
                        software.amazon.awssdk.core.retry.RetryMode.STANDARD))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                        .connectionTimeout(java.time.Duration.ofSeconds(10))
                        .socketTimeout(java.time.Duration.ofMinutes(2)))
                .build();
    }

    /** The staged pieces of one upload, in order. */
    record Staging(List<Piece> pieces) {
        Staging {
            pieces = List.copyOf(pieces);
        }

        long size() {
            return pieces.isEmpty() ? 0 : pieces.getLast().offset() + pieces.getLast().length();
        }

        /** Its version is the key of its last piece, which no other state of the upload shares. */
        StagedBytes bytes() {
            return new StagedBytes(size(), pieces.isEmpty() ? "empty" : pieces.getLast().key());
        }
    }

    /** One staged object: {@code length} bytes of the upload starting at {@code offset}. */
    record Piece(String key, long offset, long length) {
    }

    @Override
    public void delete(Digest digest) throws IOException {
        String key = BlobLayout.blobKey(digest);
        try {
            s3.deleteObject(builder -> builder.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw new IOException("DELETE " + key + " failed", e);
        }
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        return objectSize(BlobLayout.blobKey(digest));
    }

    private OptionalLong objectSize(String key) throws IOException {
        return S3Objects.size(s3, bucket, key);
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) throws IOException {
        return openRange(BlobLayout.blobKey(digest), offset, length);
    }

    private InputStream openRange(String key, long offset, long length) throws IOException {
        if (length == 0) {
            if (objectSize(key).isEmpty()) {
                throw new NoSuchFileException(key);
            }
            return InputStream.nullInputStream();
        }
        try {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(builder -> builder.bucket(bucket).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
            return stream;
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (S3Exception e) {
            throw new IOException("GET " + key + " failed", e);
        }
    }

    @Override
    public void create(UploadId id) throws IOException {
        writeStaging(id, new Staging(List.of()));
    }

    @Override
    public Optional<StagedBytes> staged(UploadId id) throws IOException {
        return readStaging(id).map(Staging::bytes);
    }

    /**
     * Appends the data as new pieces, then writes the state object that lists them. Pieces are never
     * changed or reused (each has a key of its own), so a commit that assembles the pieces of one
     * state assembles exactly the bytes of that state, whatever was appended since.
     */
    @Override
    public Appended append(UploadId id, long offset, InputStream data) throws IOException {
        Staging staging = readStaging(id).orElseThrow(() -> new StagingLost(id));
        if (staging.size() != offset) {
            throw new StagingConflict("upload " + id.value() + " has " + staging.size() + " bytes staged, not " + offset,
                    staging.size());
        }
        List<Piece> added = new ArrayList<>();
        long position = offset;
        try (TransferBuffers.Lease piece = PIECE_BUFFERS.acquire()) {
            byte[] buffer = piece.array();
            int read;
            while ((read = data.readNBytes(buffer, 0, buffer.length)) > 0) {
                String key = BlobLayout.uploadKeyPrefix(id) + "pieces/" + position + "-" + UUID.randomUUID();
                put(key, buffer, read);
                added.add(new Piece(key, position, read));
                position += read;
            }
        } catch (IOException | RuntimeException e) {
            // The state object was not changed: the staging is still at the old offset.
            deleteQuietly(added.stream().map(Piece::key).toList());
            throw e;
        }
        if (added.isEmpty()) {
            return new Appended(staging.bytes(), staging.bytes());
        }
        List<Piece> pieces = new ArrayList<>(staging.pieces());
        pieces.addAll(added);
        Staging updated = new Staging(pieces);
        writeStaging(id, updated);
        return new Appended(staging.bytes(), updated.bytes());
    }

    @Override
    public int appendBufferBytes() {
        return PIECE_BYTES;
    }

    @Override
    public InputStream openStaged(UploadId id) throws IOException {
        Staging staging = readStaging(id).orElseThrow(() -> new StagingLost(id));
        Iterator<InputStream> streams = staging.pieces().stream().map(this::openPiece).iterator();
        return new SequenceInputStream(new IteratorEnumeration<>(streams));
    }

    /** Opens one piece; the stream is lazy, so only one piece is open at a time. */
    private InputStream openPiece(Piece piece) {
        try {
            return openRange(piece.key(), 0, piece.length());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An {@link java.util.Enumeration} over an iterator, for {@link SequenceInputStream}. */
    private record IteratorEnumeration<T>(Iterator<T> iterator) implements java.util.Enumeration<T> {
        @Override
        public boolean hasMoreElements() {
            return iterator.hasNext();
        }

        @Override
        public T nextElement() {
            return iterator.next();
        }
    }

    /**
     * Assembles the pieces of the verified state at the blob's key, replacing any object there: an
     * object already at that key is not trusted without verification, these bytes just were.
     */
    @Override
    public void commit(UploadId id, StagedBytes expected, Digest digest) throws IOException {
        Staging staging = readStaging(id).orElseThrow(() -> new StagingLost(id));
        if (!staging.bytes().equals(expected)) {
            throw new StagingConflict("upload " + id.value() + " changed after it was verified", staging.size());
        }
        assemble(staging, BlobLayout.blobKey(digest));
        // The staging just read lists what to delete. Pieces another node appended since are not in
        // it; the state object goes, so the sweep of stale uploads removes those with the prefix.
        deleteQuietly(stagingKeys(id, staging));
    }

    /**
     * Makes {@code target} the concatenation of the staged pieces, atomically, without holding them
     * in memory: one piece is copied inside the object store; several become the parts of a
     * multipart upload, pieces of at least 5 MiB copied inside the store and runs of smaller ones
     * streamed through this node as one part each.
     */
    private void assemble(Staging staging, String target) throws IOException {
        if (staging.pieces().isEmpty()) {
            put(target, new byte[0], 0);
            return;
        }
        if (staging.pieces().size() == 1) {
            Piece only = staging.pieces().getFirst();
            s3.copyObject(builder -> builder.sourceBucket(bucket).sourceKey(only.key())
                    .destinationBucket(bucket).destinationKey(target));
            return;
        }
        String uploadId = s3.createMultipartUpload(builder -> builder.bucket(bucket).key(target)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            List<Piece> run = new ArrayList<>();
            long runBytes = 0;
            for (Piece piece : staging.pieces()) {
                if (run.isEmpty() && piece.length() >= MIN_PART_BYTES) {
                    int number = parts.size() + 1;
                    String etag = s3.uploadPartCopy(builder -> builder.sourceBucket(bucket).sourceKey(piece.key())
                            .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(number))
                            .copyPartResult().eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                    continue;
                }
                run.add(piece);
                runBytes += piece.length();
                if (runBytes >= MIN_PART_BYTES) {
                    parts.add(uploadPart(target, uploadId, parts.size() + 1, List.copyOf(run), runBytes));
                    run.clear();
                    runBytes = 0;
                }
            }
            if (!run.isEmpty()) {
                parts.add(uploadPart(target, uploadId, parts.size() + 1, List.copyOf(run), runBytes));
            }
            s3.completeMultipartUpload(builder -> builder.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(builder -> builder.bucket(bucket).key(target).uploadId(uploadId));
            throw new IOException("cannot assemble " + target, e);
        }
    }

    /** Uploads a run of pieces as one part, streamed from the store (again on a retry). */
    private CompletedPart uploadPart(String key, String uploadId, int number, List<Piece> run, long bytes) {
        RequestBody body = RequestBody.fromContentProvider(() -> new SequenceInputStream(
                new IteratorEnumeration<>(run.stream().map(this::openPiece).iterator())), bytes, "application/octet-stream");
        String etag = s3.uploadPart(builder -> builder.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .contentLength(bytes), body).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /**
     * Deletes the pieces the state object lists, and the state object. Without a state object (an
     * append or a discard cut short by a crash) every object under the upload's prefix is deleted.
     */
    @Override
    public void discard(UploadId id) throws IOException {
        Optional<Staging> staging = readStaging(id);
        deleteQuietly(staging.isPresent() ? stagingKeys(id, staging.get()) : keysUnder(BlobLayout.uploadKeyPrefix(id)));
    }

    /** The pieces of {@code staging}, then its state object (so that a crash in between leaves a listable prefix). */
    private static List<String> stagingKeys(UploadId id, Staging staging) {
        List<String> keys = new ArrayList<>();
        staging.pieces().forEach(piece -> keys.add(piece.key()));
        keys.add(stateKey(id));
        return keys;
    }

    private List<String> keysUnder(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(builder -> builder.bucket(bucket).prefix(prefix))
                    .contents()
                    .forEach(object -> keys.add(object.key()));
            return keys;
        } catch (S3Exception e) {
            throw new IOException("cannot list " + prefix + " in bucket " + bucket, e);
        }
    }

    @Override
    public void probe() throws IOException {
        try {
            s3.headBucket(builder -> builder.bucket(bucket));
        } catch (S3Exception e) {
            throw new IOException("bucket " + bucket + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public List<UploadId> stagedUploads() throws IOException {
        try {
            List<UploadId> staged = new ArrayList<>();
            s3.listObjectsV2Paginator(builder -> builder.bucket(bucket).prefix(BlobLayout.UPLOADS_PREFIX).delimiter("/"))
                    .commonPrefixes()
                    .forEach(prefix -> {
                        String name = prefix.prefix().substring(BlobLayout.UPLOADS_PREFIX.length());
                        UploadId.tryParse(name.endsWith("/") ? name.substring(0, name.length() - 1) : name)
                                .ifPresent(staged::add);
                    });
            return staged;
        } catch (S3Exception e) {
            throw new IOException("cannot list the staged uploads in bucket " + bucket, e);
        }
    }

    /** True while the store keeps a state object for {@code id}. */
    boolean hasStaging(UploadId id) throws IOException {
        return objectSize(stateKey(id)).isPresent();
    }

    private static String stateKey(UploadId id) {
        return BlobLayout.uploadKeyPrefix(id) + "state.json";
    }

    private Optional<Staging> readStaging(UploadId id) throws IOException {
        try (InputStream in = s3.getObject(builder -> builder.bucket(bucket).key(stateKey(id)))) {
            return Optional.of(JSON.readValue(in, Staging.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("cannot read the staging of upload " + id, e);
        }
    }

    private void writeStaging(UploadId id, Staging staging) throws IOException {
        byte[] json = JSON.writeValueAsBytes(staging);
        put(stateKey(id), json, json.length);
    }

    private void put(String key, byte[] content, int length) throws IOException {
        try {
            s3.putObject(builder -> builder.bucket(bucket).key(key).contentLength((long) length),
                    RequestBody.fromInputStream(new java.io.ByteArrayInputStream(content, 0, length), length));
        } catch (S3Exception e) {
            throw new IOException("PUT " + key + " failed", e);
        }
    }

    private void deleteQuietly(List<String> keys) {
        for (String key : keys) {
            try {
                s3.deleteObject(builder -> builder.bucket(bucket).key(key));
            } catch (RuntimeException e) {
                // Left for garbage collection of stale uploads.
            }
        }
    }
}
