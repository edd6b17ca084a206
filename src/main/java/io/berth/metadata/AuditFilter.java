package io.berth.metadata;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which audit entries to list, newest first.
 *
 * @param actor      only entries by this name
 * @param action     only entries of this action ({@code login.failed}), or of this family when it
 *                   has no dot ({@code login} covers both outcomes)
 * @param repository only entries that changed this repository, or promoted from it
 * @param since      only entries at or after this time
 * @param before     only entries older than this id (the next page)
 * @param limit      at most this many
 */
public record AuditFilter(Optional<String> actor, Optional<String> action, Optional<String> repository,
                          Optional<Instant> since, OptionalLong before, int limit) {
    public AuditFilter {
        Objects.requireNonNull(actor);
        Objects.requireNonNull(action);
        Objects.requireNonNull(repository);
        Objects.requireNonNull(since);
        Objects.requireNonNull(before);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static AuditFilter newest(int limit) {
        return new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), limit);
    }

    /** The same filter for the page after an entry with id {@code id}. */
    public AuditFilter before(long id) {
        return new AuditFilter(actor, action, repository, since, OptionalLong.of(id), limit);
    }
}
