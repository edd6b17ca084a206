package io.berth.audit;

import io.berth.metadata.AuditFilter;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.StoredAuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;

/** Reads the audit trail a page at a time, keeping only the entries a caller may see. */
public final class AuditReader {
    /** At most this many batches of a page's size are read to fill one page of visible entries. */
    static final int MAX_BATCHES = 10;

    private final MetadataStore metadata;

    public AuditReader(MetadataStore metadata) {
        this.metadata = metadata;
    }

    /**
     * A page of visible entries.
     *
     * @param entries the visible entries, newest first, at most the filter's limit
     * @param before  where the next page starts (pass it as the filter's {@code before}); empty at the end
     */
    public record Page(List<StoredAuditRecord> entries, OptionalLong before) {
        public Page {
            entries = List.copyOf(entries);
        }
    }

    /**
     * The newest entries matching {@code filter} that {@code visible} lets through. A caller who
     * may see few entries gets a short page (with a cursor) rather than a scan of the whole trail:
     * at most {@link #MAX_BATCHES} times the page size is read.
     */
    public Page page(AuditFilter filter, Predicate<StoredAuditRecord> visible) {
        List<StoredAuditRecord> entries = new ArrayList<>();
        AuditFilter next = filter;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            AuditFilter current = next;
            List<StoredAuditRecord> read = metadata.read(session -> session.audit().list(current));
            for (StoredAuditRecord entry : read) {
                if (visible.test(entry)) {
                    entries.add(entry);
                    if (entries.size() == filter.limit()) {
                        return new Page(entries, OptionalLong.of(entry.id()));
                    }
                }
            }
            if (read.size() < current.limit()) {
                return new Page(entries, OptionalLong.empty());
            }
            next = current.before(read.getLast().id());
        }
        return new Page(entries, next.before());
    }
}
