package io.berth.storage;

import io.berth.oci.Digest;
import java.nio.file.Path;

/**
 * The one place that says where anything lives in a filesystem data directory.
 *
 * <pre>
 * &lt;root&gt;/
 *   blobs/                          immutable, content-addressed; mirrors rsync this tree as is
 *     sha256/
 *       ab/
 *         abcdef…                   the blob whose sha256 digest is abcdef…
 *     sha512/…
 *   uploads/                        bytes of upload sessions; never served, never mirrored
 *     &lt;upload id&gt;/data            the bytes received so far
 *   quarantine/                     blobs {@code berth fsck --repair} took out of service; never served
 *     sha256/
 *       abcdef…                     bytes that were stored as blob sha256:abcdef… but do not match it
 *       abcdef….1                   a later quarantine of the same digest
 * </pre>
 *
 * Object stores use the same tree as keys ({@link #blobKey}, {@link #uploadKeyPrefix}), so a
 * mirror sees one layout whatever the backend.
 *
 * <p>A file appears under {@code blobs/} only by an atomic rename from {@code uploads/} after its
 * digest was verified, so every file in {@code blobs/} is complete and correct.
 */
public final class BlobLayout {
    private final Path root;

    public BlobLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path blobsRoot() {
        return root.resolve("blobs");
    }

    /** {@code blobs/<algorithm>/<first two hex>/<hex>}. */
    public Path blob(Digest digest) {
        return root.resolve(blobKey(digest));
    }

    /**
     * The same location as a relative, slash-separated key, as object stores name objects:
     * {@code blobs/<algorithm>/<first two hex>/<hex>}.
     */
    public static String blobKey(Digest digest) {
        String encoded = digest.encoded();
        return "blobs/" + digest.algorithm().identifier() + "/" + encoded.substring(0, 2) + "/" + encoded;
    }

    /** The key prefix under which an object store keeps every upload session's staging. */
    public static final String UPLOADS_PREFIX = "uploads/";

    /** The key prefix under which an object store keeps an upload session's staging. */
    public static String uploadKeyPrefix(UploadId id) {
        return UPLOADS_PREFIX + id.value() + "/";
    }

    public Path uploadsRoot() {
        return root.resolve("uploads");
    }

    /** The directory of one upload session. The id is validated by {@link UploadId}. */
    public Path uploadDirectory(UploadId id) {
        return uploadsRoot().resolve(id.value());
    }

    /** The bytes received so far by one upload session. */
    public Path uploadData(UploadId id) {
        return uploadDirectory(id).resolve("data");
    }

    /** The key prefix under which an object store keeps quarantined blobs. */
    public static final String QUARANTINE_PREFIX = "quarantine/";

    /** Where {@code berth fsck --repair} keeps the bytes of blobs it took out of service. */
    public Path quarantineRoot() {
        return root.resolve("quarantine");
    }

    /**
     * Where the {@code attempt}th quarantine (counting from 0) of a blob keeps its bytes:
     * {@code quarantine/<algorithm>/<hex>}, then {@code <hex>.1}, {@code <hex>.2}, …
     */
    public Path quarantined(Digest digest, int attempt) {
        return root.resolve(quarantineKey(digest, attempt));
    }

    /** The same location as a relative, slash-separated object key. */
    public static String quarantineKey(Digest digest, int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt cannot be negative: " + attempt);
        }
        return QUARANTINE_PREFIX + digest.algorithm().identifier() + "/" + digest.encoded()
                + (attempt == 0 ? "" : "." + attempt);
    }
}
