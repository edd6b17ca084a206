package io.berth.testing;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Content for a test blob, with its sha256 digest. */
public record TestBlob(byte[] content, Digest digest) {

    public static TestBlob of(byte[] content) {
        return new TestBlob(content, Digest.of(DigestAlgorithm.SHA256, content));
    }

    public static TestBlob of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reproducible pseudo-random content. */
    public static TestBlob random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return of(bytes);
    }

    public long size() {
        return content.length;
    }
}
