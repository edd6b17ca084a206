package io.berth.storage;

import java.io.IOException;
import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Questions about single objects that the S3 store and its inventory both ask. */
final class S3Objects {
    private S3Objects() {
    }

    /** The size of object {@code key}, or empty when the bucket has none. */
    static OptionalLong size(S3Client s3, String bucket, String key) throws IOException {
        try {
            return OptionalLong.of(s3.headObject(builder -> builder.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw new IOException("HEAD " + key + " failed", e);
        }
    }
}
