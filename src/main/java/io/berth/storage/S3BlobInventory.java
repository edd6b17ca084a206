package io.berth.storage;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link BlobInventory} over an object store's bucket: blobs are listed from their keys (which the
 * store returns in byte order, the same as {@link BlobInventory#DIGEST_ORDER}), and a quarantine is a
 * server-side copy to {@link BlobLayout#quarantineKey} followed by a delete of the blob's key.
 */
final class S3BlobInventory {
    /** The largest object a single server-side copy may write (S3: 5 GiB); larger ones are copied in parts. */
    static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;
    /** Part size for copying larger objects. */
    static final long COPY_PART_BYTES = 1024L * 1024 * 1024;
    /** Keys per listing request (S3 answers at most 1000). */
    private static final int LIST_PAGE = 1000;
    private static final int MAX_ATTEMPTS = 1000;

    private final S3Client s3;
    private final String bucket;

    S3BlobInventory(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        List<CommittedBlob> page = new ArrayList<>();
        String startAfter = after.map(BlobLayout::blobKey).orElse("blobs/");
        try {
            while (page.size() < limit) {
                String from = startAfter;
                List<S3Object> objects = s3.listObjectsV2(builder -> builder.bucket(bucket).prefix("blobs/")
                        .startAfter(from).maxKeys(Math.min(LIST_PAGE, limit - page.size()))).contents();
                if (objects.isEmpty()) {
                    break;
                }
                for (S3Object object : objects) {
                    blobOf(object.key()).ifPresent(digest -> page.add(new CommittedBlob(digest, object.size())));
                }
                startAfter = objects.getLast().key();
            }
            return page;
        } catch (S3Exception e) {
            throw new IOException("cannot list the blobs in bucket " + bucket, e);
        }
    }

    /** The digest whose content address is {@code key}, when it is one. */
    private static Optional<Digest> blobOf(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length != 4 || !parts[0].equals("blobs")) {
            return Optional.empty();
        }
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromIdentifier(parts[1]);
        if (algorithm.isEmpty() || parts[2].length() != 2 || !parts[3].startsWith(parts[2])
                || parts[3].length() != algorithm.get().encodedLength()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Digest(algorithm.get(), parts[3]));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<String> quarantine(Digest digest) throws IOException {
        String source = BlobLayout.blobKey(digest);
        OptionalLong size = objectSize(source);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String target = BlobLayout.quarantineKey(digest, attempt);
            if (objectSize(target).isPresent()) {
                continue;
            }
            try {
                copy(source, target, size.getAsLong());
                s3.deleteObject(builder -> builder.bucket(bucket).key(source));
            } catch (S3Exception e) {
                throw new IOException("cannot move " + source + " to " + target + " in bucket " + bucket, e);
            }
            return Optional.of(target);
        }
        throw new IOException("blob " + digest + " was quarantined " + MAX_ATTEMPTS + " times; clean up "
                + BlobLayout.QUARANTINE_PREFIX + " in bucket " + bucket);
    }

    private void copy(String source, String target, long size) {
        if (size <= MAX_SINGLE_COPY_BYTES) {
            s3.copyObject(builder -> builder.sourceBucket(bucket).sourceKey(source)
                    .destinationBucket(bucket).destinationKey(target));
            return;
        }
        String uploadId = s3.createMultipartUpload(builder -> builder.bucket(bucket).key(target)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0; offset < size; offset += COPY_PART_BYTES) {
                int number = parts.size() + 1;
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + COPY_PART_BYTES) - 1);
                String etag = s3.uploadPartCopy(builder -> builder.sourceBucket(bucket).sourceKey(source)
                        .copySourceRange(range).destinationBucket(bucket).destinationKey(target)
                        .uploadId(uploadId).partNumber(number)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(builder -> builder.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(builder -> builder.bucket(bucket).key(target).uploadId(uploadId));
            throw e;
        }
    }

    private OptionalLong objectSize(String key) throws IOException {
        return S3Objects.size(s3, bucket, key);
    }
}
