package io.berth.registry;

import java.util.List;

/** One page of a listing; {@code hasMore} says whether a next page exists after the last item. */
public record Page<T>(List<T> items, boolean hasMore) {
    public Page {
        items = List.copyOf(items);
    }

    /** Trims a query result fetched with {@code limit + 1} rows to a page of at most {@code limit}. */
    static <T> Page<T> of(List<T> fetched, int limit) {
        if (fetched.size() > limit) {
            return new Page<>(fetched.subList(0, limit), true);
        }
        return new Page<>(fetched, false);
    }
}
