package io.berth.registry;

import io.berth.metadata.MetadataSession;
import io.berth.oci.Digest;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.protection.TagProtection;
import io.berth.protection.TagWriter;
import java.util.Optional;

/**
 * Tag changes inside a metadata transaction, judged by tag protection against what the tag points
 * at in that same transaction and held there until it ends: of two concurrent first pushes to an
 * immutable tag exactly one wins, and nothing moves a tag between the judgement and the change.
 * Tags no rule covers are changed as before, with no extra query.
 */
final class GuardedTags {
    private final TagProtection protection;

    GuardedTags(TagProtection protection) {
        this.protection = protection;
    }

    /**
     * Points {@code tag} at {@code digest}; returns what it pointed at before, empty when it is new.
     *
     * @throws RegistryException {@code DENIED} (403) when protection refuses; the caller's transaction rolls back
     */
    Optional<Digest> set(MetadataSession session, RepositoryName repository, Tag tag, Digest digest, TagWriter writer) {
        if (!protection.covers(repository, tag.value())) {
            return session.setTag(repository, tag, digest);
        }
        Optional<Digest> current = session.setTagIfAbsent(repository, tag, digest);
        protection.decide(repository, tag, current, Optional.of(digest), writer).orThrow();
        if (current.isPresent() && !current.get().equals(digest)) {
            session.setTag(repository, tag, digest);
        }
        return current;
    }

    /**
     * Deletes {@code tag}; true when it existed.
     *
     * @throws RegistryException {@code DENIED} (403) when protection refuses
     */
    boolean delete(MetadataSession session, RepositoryName repository, Tag tag, TagWriter writer) {
        if (protection.covers(repository, tag.value())) {
            protection.decide(repository, tag, session.lockTag(repository, tag), Optional.empty(), writer).orThrow();
        }
        return session.deleteTag(repository, tag);
    }

    /**
     * Deletes a manifest and so every tag on it; true when it existed.
     *
     * @throws RegistryException {@code DENIED} (403) when protection refuses to delete one of its tags
     */
    boolean deleteManifest(MetadataSession session, RepositoryName repository, Digest digest, TagWriter writer) {
        if (protection.coversRepository(repository)) {
            for (String name : session.lockTagsOf(repository, digest)) {
                protection.decide(repository, Tag.parse(name), Optional.of(digest), Optional.empty(), writer).orThrow();
            }
        }
        return session.deleteManifest(repository, digest);
    }
}
