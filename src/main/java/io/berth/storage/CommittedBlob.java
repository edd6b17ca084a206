package io.berth.storage;

import io.berth.oci.Digest;

/** A blob a store holds at its content address, with the size the store reports for it. */
public record CommittedBlob(Digest digest, long size) {
    public CommittedBlob {
        if (size < 0) {
            throw new IllegalArgumentException("a blob's size cannot be negative: " + size);
        }
    }
}
