package io.berth.integrity;

import io.berth.oci.Digest;
import io.berth.storage.BlobInventory;
import io.berth.storage.CommittedBlob;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A {@link BlobInventory} that passes every call on; tests override the calls they watch or break. */
class ForwardingInventory implements BlobInventory {
    private final BlobInventory store;

    ForwardingInventory(BlobInventory store) {
        this.store = store;
    }

    @Override
    public List<CommittedBlob> committedBlobs(Optional<Digest> after, int limit) throws IOException {
        return store.committedBlobs(after, limit);
    }

    @Override
    public Optional<String> quarantine(Digest digest) throws IOException {
        return store.quarantine(digest);
    }

    @Override
    public OptionalLong size(Digest digest) throws IOException {
        return store.size(digest);
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) throws IOException {
        return store.open(digest, offset, length);
    }
}
