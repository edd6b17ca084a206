package io.berth.integrity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far an interrupted check got, so that the next run continues there: the pass it was in, the
 * last digest it finished (blobs are checked in digest order), its counts, and what it had found.
 *
 * @param pass           {@code blobs} (the store against the records) or {@code mirror} (the mirror tree)
 * @param after          the last digest the pass finished; empty when it had finished none
 * @param blobsChecked   blobs checked by the blob pass so far
 * @param bytesChecked   bytes read by the blob pass so far
 * @param mirrorChecked  mirror-tree files checked so far
 * @param counts         findings per kind so far
 * @param bytes          bytes concerned per kind so far
 * @param listed         the findings kept to be listed ({@link Findings#LISTED_PER_KIND} per kind)
 */
public record Checkpoint(String pass, Optional<String> after, long blobsChecked, long bytesChecked,
                         long mirrorChecked, Map<Finding.Kind, Long> counts, Map<Finding.Kind, Long> bytes,
                         List<Finding> listed) {
    static final String BLOB_PASS = "blobs";
    static final String MIRROR_PASS = "mirror";

    public Checkpoint {
        if (!pass.equals(BLOB_PASS) && !pass.equals(MIRROR_PASS)) {
            throw new IllegalArgumentException("unknown pass " + pass);
        }
        counts = Map.copyOf(counts);
        bytes = Map.copyOf(bytes);
        listed = List.copyOf(listed);
    }

    /** Where the checkpoint is kept between runs. */
    public interface Store {
        Optional<Checkpoint> load();

        void save(Checkpoint checkpoint);

        /** Forgets the checkpoint: the next run starts from the beginning. */
        void clear();
    }
}
