package io.berth.bench;

import io.berth.config.BerthConfig;
import io.berth.config.ConfigLoader;
import io.berth.metadata.ManifestRecord;
import io.berth.metadata.MetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.MediaTypes;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.server.BerthServer;
import io.berth.storage.BlobLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills a registry's metadata database and filesystem blob store in bulk, straight through the
 * metadata API in large transactions (the HTTP API would take hours for a million tags), for the
 * growth benchmark ({@code bench/growth}, docs/benchmarks.md "Growth").
 *
 * <p>Repository {@code seed/NNNNNN/app} gets {@code --blobs-per-repository} small blobs (each an
 * image configuration, so clients can inspect the images; none is a real layer), as many
 * manifests (each an OCI image manifest whose config is one of those blobs and whose layer is the
 * next), and a tag {@code vI} on each: with the defaults, 100,000 repositories hold 1,000,000
 * blobs, manifests and tags. Repository {@code seed/many-tags} gets {@code --big-tags} tags. Every
 * blob is written under {@code blobs/} as the store would have it (without fsync: the benchmark
 * measures requests, not seeding), so exports, GC and fsck see a consistent registry. The server
 * must not run while seeding; run it against a data directory that is new or was seeded before
 * (repositories already there are skipped).
 *
 * <p>Usage: {@code RegistrySeeder [--config FILE] [--data DIR] [--repositories N]
 * [--blobs-per-repository B] [--big-tags T] [--batch R]}
 */
public final class RegistrySeeder {
    private final MetadataStore metadata;
    private final BlobLayout layout;

    private RegistrySeeder(MetadataStore metadata, BlobLayout layout) {
        this.metadata = metadata;
        this.layout = layout;
    }

    public static void main(String[] arguments) throws Exception {
        BerthConfig config = option(arguments, "--config").map(file -> ConfigLoader.load(Path.of(file)))
                .orElseGet(BerthConfig::defaults);
        config = option(arguments, "--data").map(config::withDataDir).orElse(config);
        if (config.storageSettings().filter(io.berth.config.StorageConfig::isS3).isPresent()) {
            System.err.println("seed: only the filesystem blob store is seeded");
            System.exit(2);
        }
        int repositories = Integer.parseInt(option(arguments, "--repositories").orElse("100000"));
        int perRepository = Integer.parseInt(option(arguments, "--blobs-per-repository").orElse("10"));
        int bigTags = Integer.parseInt(option(arguments, "--big-tags").orElse("10000"));
        int batch = Integer.parseInt(option(arguments, "--batch").orElse("500"));
        Path dataDir = Path.of(config.dataDir());
        Files.createDirectories(dataDir);
        long started = System.nanoTime();
        try (MetadataStore metadata = BerthServer.openMetadata(config, Clock.systemUTC())) {
            RegistrySeeder seeder = new RegistrySeeder(metadata, new BlobLayout(dataDir));
            int seeded = seeder.seedRepositories(repositories, perRepository, batch);
            seeder.seedManyTags(bigTags, batch * perRepository);
            System.out.printf("seeded %d repositories (%d skipped) with %d blobs, manifests and tags each, and %d tags in"
                            + " seed/many-tags, in %.1f s%n", seeded, repositories - seeded, perRepository, bigTags,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** Seeds repositories 0 … count-1 that are not there yet, {@code batch} to a transaction; returns how many. */
    private int seedRepositories(int count, int perRepository, int batch) {
        int seeded = 0;
        for (int first = 0; first < count; first += batch) {
            List<Image> images = new ArrayList<>();
            for (int index = first; index < Math.min(count, first + batch); index++) {
                RepositoryName repository = RepositoryName.parse("seed/%06d/app".formatted(index));
                if (!metadata.read(session -> session.repositoryExists(repository))) {
                    for (int i = 0; i < perRepository; i++) {
                        images.add(image(repository, "v" + i, blob(repository + "#" + i), blob(repository + "#" + ((i + 1) % perRepository))));
                    }
                    seeded++;
                }
            }
            store(images);
            if ((first / batch) % 20 == 0) {
                System.out.printf("  %d of %d repositories%n", Math.min(count, first + batch), count);
            }
        }
        return seeded;
    }

    private void seedManyTags(int tags, int batch) {
        RepositoryName repository = RepositoryName.parse("seed/many-tags");
        if (tags == 0 || metadata.read(session -> session.repositoryExists(repository))) {
            return;
        }
        for (int first = 0; first < tags; first += batch) {
            List<Image> images = new ArrayList<>();
            for (int index = first; index < Math.min(tags, first + batch); index++) {
                images.add(image(repository, "tag-%05d".formatted(index), blob("many-tags#config#" + index),
                        blob("many-tags#layer")));
            }
            store(images);
        }
    }

    /** One tagged image manifest over two blobs, as a push through the API would record it. */
    private record Image(RepositoryName repository, Tag tag, Blob config, Blob layer, ManifestRecord manifest) {
    }

    private record Blob(Digest digest, byte[] content) {
    }

    private static Blob blob(String seed) {
        // An image configuration, so that clients can inspect a seeded image; as a layer it is not
        // a tar archive, which no request the benchmark makes needs.
        byte[] content = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                + "\"config\":{\"Labels\":{\"io.berth.seed\":\"" + seed + "\"}}}").getBytes(StandardCharsets.UTF_8);
        return new Blob(Digest.of(DigestAlgorithm.SHA256, content), content);
    }

    private static Image image(RepositoryName repository, String tag, Blob config, Blob layer) {
        String json = """
                {"schemaVersion":2,"mediaType":"%s",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}"""
                .formatted(MediaTypes.OCI_MANIFEST, config.digest(), config.content().length, layer.digest(),
                        layer.content().length);
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        ManifestRecord manifest = new ManifestRecord(Digest.of(DigestAlgorithm.SHA256, content), MediaTypes.OCI_MANIFEST,
                content, Optional.empty(), Optional.empty(), Map.of(), List.of(config.digest(), layer.digest()), List.of());
        return new Image(repository, Tag.parse(tag), config, layer, manifest);
    }

    /** Writes the blobs' files, then records blobs, links, manifests and tags in one transaction. */
    private void store(List<Image> images) {
        for (Image image : images) {
            write(image.config());
            write(image.layer());
        }
        metadata.inTransaction(session -> {
            for (Image image : images) {
                for (Blob blob : List.of(image.config(), image.layer())) {
                    session.recordBlob(blob.digest(), blob.content().length);
                    session.linkBlob(image.repository(), blob.digest());
                }
                session.putManifest(image.repository(), image.manifest());
                session.setTag(image.repository(), image.tag(), image.manifest().digest());
            }
            return null;
        });
    }

    private void write(Blob blob) {
        Path file = layout.blob(blob.digest());
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, blob.content());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> option(String[] arguments, String name) {
        for (int i = 0; i < arguments.length - 1; i++) {
            if (arguments[i].equals(name)) {
                return Optional.of(arguments[i + 1]);
            }
        }
        return Optional.empty();
    }
}
