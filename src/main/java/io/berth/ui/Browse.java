package io.berth.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.metadata.StoredManifest;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.registry.BlobInfo;
import io.berth.registry.BlobService;
import io.berth.registry.ContentListing;
import io.berth.registry.ManifestService;
import io.berth.registry.Page;
import io.berth.registry.Registry;
import io.berth.registry.StorageFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The read side of the browse pages: repositories, a repository's tags, one manifest. Every
 * method takes what the caller may see from the HTTP layer and shows nothing else; a repository
 * the caller may not pull is answered as unknown, so a page never tells whether it exists.
 */
public final class Browse {
    /** Repositories on one page of the list. */
    public static final int REPOSITORIES_PER_PAGE = 50;
    /** Tags on one page of a repository: each costs a manifest and a configuration read. */
    public static final int TAGS_PER_PAGE = 25;
    /** The longest image configuration a page reads; a longer one is shown without its facts. */
    static final long MAX_CONFIG_BYTES = 1024 * 1024;
    /** The longest search fragment: longer than any repository name could contain. */
    public static final int MAX_QUERY_LENGTH = io.berth.oci.Limits.MAX_REPOSITORY_NAME_LENGTH;

    private static final Set<String> IMAGE_CONFIGS = Set.of(
            "application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json");
    private static final String CREATED_ANNOTATION = "org.opencontainers.image.created";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContentListing listing;
    private final ManifestService manifests;
    private final BlobService blobs;

    public Browse(Registry registry) {
        this.listing = registry.listing();
        this.manifests = registry.manifests();
        this.blobs = registry.blobs();
    }

    /**
     * The repositories after {@code after} that {@code visible} accepts and, with a {@code query},
     * whose names contain it.
     */
    public RepositoryListing repositories(Optional<String> query, Optional<String> after, Predicate<RepositoryName> visible) {
        Optional<String> fragment = query.map(String::strip).filter(text -> !text.isEmpty())
                .map(text -> text.toLowerCase(java.util.Locale.ROOT));
        if (fragment.isPresent() && fragment.get().length() > MAX_QUERY_LENGTH) {
            return new RepositoryListing(fragment, List.of(), Optional.empty());
        }
        Page<RepositoryName> page = listing.catalog(OptionalInt.of(REPOSITORIES_PER_PAGE), after, visible, fragment);
        return new RepositoryListing(fragment, page.items(),
                page.hasMore() ? Optional.of(page.items().getLast().value()) : Optional.empty());
    }

    /**
     * A page of the repository's tags after {@code after}.
     *
     * @throws RegistryException {@code NAME_UNKNOWN} when the repository is not visible or holds nothing
     */
    public RepositoryTags tags(RepositoryName repository, Optional<String> after, Predicate<RepositoryName> visible) {
        requireVisible(repository, visible);
        Page<String> page = listing.tags(repository, OptionalInt.of(TAGS_PER_PAGE), after);
        List<ImageSummary> summaries = new ArrayList<>();
        for (String name : page.items()) {
            Tag tag = Tag.parse(name);
            try {
                summaries.add(summary(repository, name, manifests.get(repository, tag)));
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.MANIFEST_UNKNOWN) {
                    throw e;
                }
                // Deleted since the listing was read: the page shows the tags that still exist.
            }
        }
        return new RepositoryTags(repository, summaries,
                page.hasMore() ? Optional.of(page.items().getLast()) : Optional.empty());
    }

    /**
     * The manifest {@code reference} names in the repository, with its referrers and tags.
     *
     * @throws RegistryException {@code NAME_UNKNOWN} when the repository is not visible, {@code MANIFEST_UNKNOWN}
     */
    public ImageDetails image(RepositoryName repository, Reference reference, Predicate<RepositoryName> visible) {
        requireVisible(repository, visible);
        StoredManifest stored = manifests.get(repository, reference);
        Manifest manifest = ManifestParser.parse(stored.content(), Optional.of(stored.mediaType()));
        ImageKind kind = kindOf(manifest);
        ImageConfigFacts facts = kind == ImageKind.IMAGE ? configFacts(repository, manifest.config().orElseThrow())
                : ImageConfigFacts.UNKNOWN;
        List<ImageDetails.IndexEntry> entries = new ArrayList<>();
        List<Optional<Platform>> platforms = indexPlatforms(stored.content(), manifest.manifests().size());
        for (int i = 0; i < manifest.manifests().size(); i++) {
            entries.add(new ImageDetails.IndexEntry(manifest.manifests().get(i), platforms.get(i)));
        }
        return new ImageDetails(repository, reference.toString(), stored.digest(), stored.mediaType(), kind,
                manifest.referrerArtifactType().filter(type -> kind == ImageKind.ARTIFACT), stored.content().length,
                imageSize(manifest), manifest.config(), facts, manifest.layers(), entries, manifest.annotations(),
                manifest.subject(), listing.referrers(repository, stored.digest(), Optional.empty()),
                listing.tagsOf(repository, stored.digest()));
    }

    private static void requireVisible(RepositoryName repository, Predicate<RepositoryName> visible) {
        if (!visible.test(repository)) {
            throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "repository " + repository + " is not known");
        }
    }

    private ImageSummary summary(RepositoryName repository, String tag, StoredManifest stored) {
        Manifest manifest = ManifestParser.parse(stored.content(), Optional.of(stored.mediaType()));
        ImageKind kind = kindOf(manifest);
        if (kind == ImageKind.INDEX) {
            List<Platform> platforms = indexPlatforms(stored.content(), manifest.manifests().size()).stream()
                    .flatMap(Optional::stream).toList();
            Optional<Instant> created = Optional.ofNullable(manifest.annotations().get(CREATED_ANNOTATION))
                    .flatMap(ImageConfigFacts::instant);
            return new ImageSummary(tag, stored.digest(), kind, OptionalLong.empty(), platforms, created);
        }
        ImageConfigFacts facts = kind == ImageKind.IMAGE ? configFacts(repository, manifest.config().orElseThrow())
                : ImageConfigFacts.UNKNOWN;
        return new ImageSummary(tag, stored.digest(), kind, imageSize(manifest), facts.platform().stream().toList(),
                facts.created());
    }

    private static ImageKind kindOf(Manifest manifest) {
        if (manifest.kind().isIndex()) {
            return ImageKind.INDEX;
        }
        boolean imageConfig = manifest.config().map(config -> IMAGE_CONFIGS.contains(config.mediaType())).orElse(false);
        return imageConfig && manifest.artifactType().isEmpty() ? ImageKind.IMAGE : ImageKind.ARTIFACT;
    }

    private static OptionalLong imageSize(Manifest manifest) {
        if (manifest.kind().isIndex()) {
            return OptionalLong.empty();
        }
        long total = manifest.config().map(Descriptor::size).orElse(0L);
        for (Descriptor layer : manifest.layers()) {
            total += layer.size();
        }
        return OptionalLong.of(total);
    }

    /**
     * What the image configuration {@code config} says, read only when it is linked here, no longer
     * than {@link #MAX_CONFIG_BYTES}, and matches its digest; otherwise nothing is shown of it. The
     * configuration streams through a running hash into the parser, which keeps only what a page
     * shows: a page never holds a configuration whole.
     */
    private ImageConfigFacts configFacts(RepositoryName repository, Descriptor config) {
        if (config.size() > MAX_CONFIG_BYTES) {
            return ImageConfigFacts.UNKNOWN;
        }
        try {
            BlobInfo blob = blobs.stat(repository, config.digest());
            if (blob.size() != config.size()) {
                return ImageConfigFacts.UNKNOWN;
            }
            MessageDigest hash = config.digest().algorithm().newMessageDigest();
            try (InputStream in = new DigestInputStream(blobs.open(blob, 0, blob.size()), hash)) {
                ImageConfigFacts facts = ImageConfigFacts.read(in);
                in.transferTo(OutputStream.nullOutputStream());
                return Digest.fromHash(config.digest().algorithm(), hash.digest()).equals(config.digest())
                        ? facts : ImageConfigFacts.UNKNOWN;
            }
        } catch (RegistryException | StorageFailure | IOException e) {
            return ImageConfigFacts.UNKNOWN;
        }
    }

    /** The platform each of an index's {@code count} entries states, in order; empty where none is stated. */
    private static List<Optional<Platform>> indexPlatforms(byte[] content, int count) {
        List<Optional<Platform>> platforms = new ArrayList<>();
        JsonNode entries;
        try {
            entries = JSON.readTree(content).path("manifests");
        } catch (IOException e) {
            entries = JSON.missingNode();
        }
        for (int i = 0; i < count; i++) {
            platforms.add(ImageConfigFacts.platform(entries.path(i).path("platform")));
        }
        return platforms;
    }
}
