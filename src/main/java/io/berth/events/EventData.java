package io.berth.events;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What an event says happened; its id, time and origin are added when it is recorded. */
public sealed interface EventData {

    EventType type();

    /**
     * What happened as a JSON object: the fields of the event's body without its id, time and
     * origin ({@code repository}, {@code digest}, {@code tags}, …), as the audit trail keeps them.
     */
    default String fieldsAsJson() {
        return EventJson.fields(this);
    }

    /** A manifest was stored and {@code tags} point at it (none for a push by digest). */
    record ManifestPushed(RepositoryName repository, Digest digest, String mediaType, long size, List<Tag> tags)
            implements EventData {
        public ManifestPushed {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(digest);
            Objects.requireNonNull(mediaType);
            tags = List.copyOf(tags);
        }

        @Override
        public EventType type() {
            return EventType.PUSH;
        }
    }

    /** A manifest was deleted by digest, and with it {@code tags}. */
    record ManifestDeleted(RepositoryName repository, Digest digest, List<Tag> tags) implements EventData {
        public ManifestDeleted {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(digest);
            tags = List.copyOf(tags);
        }

        @Override
        public EventType type() {
            return EventType.DELETE;
        }
    }

    /** A tag was deleted; the manifest it pointed at stays. */
    record TagDeleted(RepositoryName repository, Tag tag, Digest digest) implements EventData {
        public TagDeleted {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(tag);
            Objects.requireNonNull(digest);
        }

        @Override
        public EventType type() {
            return EventType.DELETE;
        }
    }

    /** An existing tag was moved from one manifest to another. */
    record TagMoved(RepositoryName repository, Tag tag, Digest from, Digest to) implements EventData {
        public TagMoved {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(tag);
            Objects.requireNonNull(from);
            Objects.requireNonNull(to);
        }

        @Override
        public EventType type() {
            return EventType.TAG;
        }
    }

    /**
     * A promotion attempt, as its audit record says.
     *
     * @param outcome        {@code promoted}, {@code unchanged} or {@code refused}
     * @param previous       for each target tag, what it pointed at before, empty when it was new
     * @param failedGates    the gates that failed, with their reasons
     * @param overridden     an emergency override let it pass failing gates
     */
    record PromotionDecided(long promotionId, String sourceRepository, String sourceReference,
                            Optional<Digest> sourceDigest, String targetRepository, List<String> tags,
                            Map<String, Optional<Digest>> previous, String outcome, Map<String, String> failedGates,
                            boolean overridden, Optional<String> overrideReason) implements EventData {
        public PromotionDecided {
            Objects.requireNonNull(sourceDigest);
            tags = List.copyOf(tags);
            previous = Map.copyOf(previous);
            failedGates = Map.copyOf(failedGates);
            Objects.requireNonNull(overrideReason);
        }

        @Override
        public EventType type() {
            return outcome.equals("refused") ? EventType.PROMOTION_REFUSED : EventType.PROMOTION_GRANTED;
        }
    }

    /** The crawler changed what a mirror is: {@code healthy}, {@code stale} or {@code disabled}. */
    record MirrorStateChanged(String mirror, String previousState, String state, Optional<String> error)
            implements EventData {
        public MirrorStateChanged {
            Objects.requireNonNull(mirror);
            Objects.requireNonNull(previousState);
            Objects.requireNonNull(state);
            Objects.requireNonNull(error);
        }

        @Override
        public EventType type() {
            return EventType.MIRROR_STATE;
        }
    }
}
