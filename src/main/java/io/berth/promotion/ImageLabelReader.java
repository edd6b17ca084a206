package io.berth.promotion;

import io.berth.metadata.MetadataSession;
import io.berth.oci.Descriptor;
import io.berth.oci.ImageConfigLabels;
import io.berth.oci.Limits;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.RepositoryName;
import io.berth.oci.StrictJsonException;
import io.berth.storage.BlobReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Reads the image labels the {@code required-labels} gate judges: the {@code config.Labels} of an
 * image, or of each image an index lists, read as the Go clients read them.
 */
final class ImageLabelReader {
    /**
     * Image configurations read whole at once, each up to {@link Limits#MAX_MANIFEST_BYTES} (as
     * the Go clients' own limit): promotions are rare, and the heap a flood of them may take for
     * label gates stays at a few configurations however many arrive together.
     */
    private static final int CONFIG_READS_AT_ONCE = 2;

    private final Semaphore configReads = new Semaphore(CONFIG_READS_AT_ONCE, true);
    private final BlobReader blobs;

    ImageLabelReader(BlobReader blobs) {
        this.blobs = blobs;
    }

    /** The {@code config.Labels} of every image the manifest is or lists (one level of index). */
    List<Map<String, String>> read(MetadataSession session, RepositoryName source, Manifest manifest) {
        List<Map<String, String>> images = new ArrayList<>();
        if (manifest.kind().isIndex()) {
            for (Descriptor child : manifest.manifests()) {
                session.manifest(source, child.digest()).ifPresent(stored -> {
                    Manifest image = ManifestParser.parse(stored.content(), Optional.of(stored.mediaType()));
                    if (!image.kind().isIndex()) {
                        image.config().ifPresent(config -> images.add(labels(config)));
                    }
                });
            }
        } else {
            manifest.config().ifPresent(config -> images.add(labels(config)));
        }
        return images;
    }

    private Map<String, String> labels(Descriptor config) {
        if (config.size() > Limits.MAX_MANIFEST_BYTES) {
            return Map.of();
        }
        configReads.acquireUninterruptibly();
        try (InputStream in = blobs.open(config.digest(), 0, config.size())) {
            return ImageConfigLabels.read(in.readNBytes((int) config.size()));
        } catch (StrictJsonException unreadable) {
            // A configuration that clients would read otherwise has no labels here: label gates fail closed.
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image config " + config.digest(), e);
        } finally {
            configReads.release();
        }
    }
}
