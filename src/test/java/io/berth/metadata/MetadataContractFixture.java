package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.testing.MutableClock;
import java.util.function.Consumer;

/**
 * What the parts of the metadata contract share: the store under test, a session that runs each
 * query on its own, the test clock, and the two ways tests put data in. {@link MetadataStoreContract}
 * provides them for every backend.
 */
interface MetadataContractFixture {

    /** The store one call at a time: each query on its own, each change in its own transaction. */
    MetadataSession metadata();

    MetadataStore store();

    /** Times are kept to the millisecond, so the test clock stays on whole milliseconds. */
    MutableClock clock();

    /** Runs {@code work} in one transaction. */
    void write(Consumer<MetadataSession> work);

    /** Every tag of {@code repository}, in order. */
    java.util.List<String> tags(io.berth.oci.RepositoryName repository);

    /** Records a blob whose bytes are {@code content}, claiming {@code size}; returns its digest. */
    Digest recordedBlob(String content, long size);
}
