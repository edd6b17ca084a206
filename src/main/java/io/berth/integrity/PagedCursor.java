package io.berth.integrity;

import io.berth.oci.Digest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Walks a digest-ordered listing one page at a time, holding one page. */
final class PagedCursor<T> {

    /** One page of the listing, after a digest. */
    @FunctionalInterface
    interface Pager<T> {
        List<T> page(Optional<Digest> after) throws IOException;
    }

    private final Pager<T> pager;
    private final Function<T, Digest> digestOf;
    private Optional<Digest> after;
    private List<T> page = List.of();
    private int index;
    private boolean exhausted;

    PagedCursor(Pager<T> pager, Function<T, Digest> digestOf, Optional<Digest> after) {
        this.pager = pager;
        this.digestOf = digestOf;
        this.after = after;
    }

    /** The current item, or empty at the end. */
    Optional<T> peek() throws IOException {
        if (index < page.size()) {
            return Optional.of(page.get(index));
        }
        if (exhausted) {
            return Optional.empty();
        }
        page = pager.page(after);
        index = 0;
        if (page.isEmpty()) {
            exhausted = true;
            return Optional.empty();
        }
        after = Optional.of(digestOf.apply(page.getLast()));
        return Optional.of(page.getFirst());
    }

    void advance() {
        index++;
    }
}
