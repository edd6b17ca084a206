package io.berth.storage;

/** The in-memory fake passes the same contract as the real stores, so tests built on it can be trusted. */
class InMemoryBlobStoreTest extends BlobStoreContract {
    private InMemoryBlobStore memory;

    @Override
    protected BlobStore openStore() {
        memory = new InMemoryBlobStore();
        return memory;
    }

    @Override
    protected boolean hasStaging(UploadId id) {
        return memory.hasStaging(id);
    }

    @Override
    protected void damageBlob(io.berth.oci.Digest digest, byte[] content) {
        memory.tamperWithBlob(digest, content);
    }
}
