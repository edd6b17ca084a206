package io.berth.registry;

import io.berth.events.EventData;
import io.berth.events.EventOrigin;
import io.berth.events.EventRecorder;
import io.berth.metadata.ManifestRecord;
import io.berth.metadata.MetadataSession;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.ErrorCode;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.protection.TagProtection;
import io.berth.protection.TagWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Manifests (OCI Distribution Spec, "Pulling manifests", "Pushing Manifests", "Deleting
 * Manifests"). A manifest is accepted only when everything it references is already in the
 * repository; its exact bytes are stored and served unchanged.
 */
public final class ManifestService {
    private final MetadataStore metadata;
    private final Quotas quotas;
    private final GuardedTags guardedTags;
    private final EventRecorder events;

    public ManifestService(MetadataStore metadata) {
        this(metadata, TagProtection.NONE);
    }

    /** @param protection immutable and protected tags, checked on every tag this service sets or deletes */
    public ManifestService(MetadataStore metadata, TagProtection protection) {
        this(metadata, protection, Quotas.NONE);
    }

    /** @param quotas checked, inside the transaction that stores it, before a manifest is stored */
    public ManifestService(MetadataStore metadata, TagProtection protection, Quotas quotas) {
        this(metadata, protection, quotas, EventRecorder.NONE);
    }

    /** @param events records a push, a tag moved and a delete in the transaction that makes it */
    public ManifestService(MetadataStore metadata, TagProtection protection, Quotas quotas, EventRecorder events) {
        this.metadata = metadata;
        this.guardedTags = new GuardedTags(protection);
        this.quotas = quotas;
        this.events = events;
    }

    /** The origin of a change {@code writer} makes, without a client address. */
    public static EventOrigin origin(TagWriter writer) {
        return writer instanceof TagWriter.Named named ? EventOrigin.actor(named.name()) : EventOrigin.UNKNOWN;
    }

    /**
     * The manifest a tag or digest names in {@code repository}.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} (404)
     */
    public StoredManifest get(RepositoryName repository, Reference reference) {
        Optional<StoredManifest> found = metadata.read(session -> switch (reference) {
            case Digest digest -> session.manifest(repository, digest);
            case Tag tag -> session.manifestByTag(repository, tag);
        });
        return found.orElseThrow(() -> RegistryException.of(ErrorCode.MANIFEST_UNKNOWN,
                "manifest " + reference + " is not in repository " + repository));
    }

    /** What a successful push did. */
    public record PushResult(Digest digest, Optional<Digest> subject, List<Tag> tags) {
    }

    /**
     * Stores a manifest (end-7) under its digest and points {@code reference} (when a tag) and
     * every tag in {@code extraTags} at it, atomically.
     */
    public PushResult put(RepositoryName repository, Reference reference, Optional<String> contentType, byte[] content,
                          List<Tag> extraTags) {
        return put(repository, reference, contentType, content, extraTags, TagWriter.ANONYMOUS);
    }

    /**
     * Stores a manifest as {@link #put(RepositoryName, Reference, Optional, byte[], List)} does, on
     * behalf of {@code writer}.
     *
     * @throws RegistryException {@code DENIED} (403) when tag protection refuses a tag; nothing is stored
     */
    public PushResult put(RepositoryName repository, Reference reference, Optional<String> contentType, byte[] content,
                          List<Tag> extraTags, TagWriter writer) {
        return put(repository, reference, contentType, content, extraTags, writer, origin(writer));
    }

    /**
     * Stores a manifest as {@link #put(RepositoryName, Reference, Optional, byte[], List, TagWriter)}
     * does; the events it records name {@code origin}.
     */
    public PushResult put(RepositoryName repository, Reference reference, Optional<String> contentType, byte[] content,
                          List<Tag> extraTags, TagWriter writer, EventOrigin origin) {
        DigestAlgorithm algorithm = reference instanceof Digest given ? given.algorithm() : DigestAlgorithm.SHA256;
        Digest digest = Digest.of(algorithm, content);
        if (reference instanceof Digest given && !given.equals(digest)) {
            throw RegistryException.withDetail(ErrorCode.DIGEST_INVALID,
                    "the manifest's digest is " + digest + ", not " + given,
                    Map.of("expected", given.toString(), "actual", digest.toString()));
        }
        Manifest manifest = ManifestParser.parse(content, contentType);
        LinkedHashSet<Tag> tags = new LinkedHashSet<>();
        if (reference instanceof Tag tag) {
            tags.add(tag);
        }
        tags.addAll(extraTags);
        ManifestRecord record = ManifestRecord.of(digest, manifest, content);
        metadata.inTransaction(session -> {
            checkReferences(session, repository, manifest);
            quotas.checkManifest(session, repository, digest, content.length);
            session.putManifest(repository, record);
            if (writer instanceof TagWriter.Named named) {
                session.recordPusher(repository, digest, named.name());
            }
            events.record(session, origin, new EventData.ManifestPushed(repository, digest, record.mediaType(),
                    content.length, List.copyOf(tags)));
            for (Tag tag : tags) {
                Optional<Digest> previous = guardedTags.set(session, repository, tag, digest, writer);
                if (previous.isPresent() && !previous.get().equals(digest)) {
                    events.record(session, origin, new EventData.TagMoved(repository, tag, previous.get(), digest));
                }
            }
            return null;
        });
        return new PushResult(digest, manifest.subject().map(Descriptor::digest), List.copyOf(tags));
    }

    private static void checkReferences(MetadataSession session, RepositoryName repository, Manifest manifest) {
        for (Descriptor blob : manifest.requiredBlobs()) {
            OptionalLong size = session.linkedBlobSize(repository, blob.digest());
            if (size.isEmpty()) {
                throw RegistryException.withDetail(ErrorCode.MANIFEST_BLOB_UNKNOWN,
                        "blob " + blob.digest() + " is not in repository " + repository,
                        Map.of("digest", blob.digest().toString()));
            }
            if (size.getAsLong() != blob.size()) {
                throw RegistryException.of(ErrorCode.MANIFEST_INVALID, "descriptor of " + blob.digest() + " says "
                        + blob.size() + " bytes, the blob has " + size.getAsLong());
            }
        }
        List<Digest> missing = new ArrayList<>();
        for (Descriptor child : manifest.manifests()) {
            if (!session.manifestExists(repository, child.digest())) {
                missing.add(child.digest());
            }
        }
        if (!missing.isEmpty()) {
            throw RegistryException.withStatus(ErrorCode.MANIFEST_UNKNOWN, 400,
                    "the index lists manifests that are not in repository " + repository + ": " + missing);
        }
    }

    /**
     * Deletes by tag (end-9: that tag only) or by digest (the manifest and every tag on it).
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} (404) when there is nothing to delete
     */
    public void delete(RepositoryName repository, Reference reference) {
        delete(repository, reference, TagWriter.ANONYMOUS);
    }

    /**
     * Deletes as {@link #delete(RepositoryName, Reference)} does, on behalf of {@code writer}.
     *
     * @throws RegistryException {@code DENIED} (403) when the tag, or a tag on the manifest, is
     *                           immutable or protected against {@code writer}
     */
    public void delete(RepositoryName repository, Reference reference, TagWriter writer) {
        delete(repository, reference, writer, origin(writer));
    }

    /** Deletes as {@link #delete(RepositoryName, Reference, TagWriter)} does; the event it records names {@code origin}. */
    public void delete(RepositoryName repository, Reference reference, TagWriter writer, EventOrigin origin) {
        boolean deleted = metadata.inTransaction(session -> switch (reference) {
            case Digest digest -> deleteManifest(session, repository, digest, writer, origin);
            case Tag tag -> deleteTag(session, repository, tag, writer, origin);
        });
        if (!deleted) {
            throw RegistryException.of(ErrorCode.MANIFEST_UNKNOWN,
                    "manifest " + reference + " is not in repository " + repository);
        }
    }

    private boolean deleteManifest(MetadataSession session, RepositoryName repository, Digest digest, TagWriter writer,
                                   EventOrigin origin) {
        List<Tag> tags = events.enabled() ? session.lockTagsOf(repository, digest).stream().map(Tag::parse).toList() : List.of();
        boolean deleted = guardedTags.deleteManifest(session, repository, digest, writer);
        if (deleted) {
            events.record(session, origin, new EventData.ManifestDeleted(repository, digest, tags));
        }
        return deleted;
    }

    private boolean deleteTag(MetadataSession session, RepositoryName repository, Tag tag, TagWriter writer,
                              EventOrigin origin) {
        Optional<Digest> current = events.enabled() ? session.lockTag(repository, tag) : Optional.empty();
        boolean deleted = guardedTags.delete(session, repository, tag, writer);
        if (deleted && current.isPresent()) {
            events.record(session, origin, new EventData.TagDeleted(repository, tag, current.get()));
        }
        return deleted;
    }
}
