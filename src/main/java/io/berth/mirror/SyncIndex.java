package io.berth.mirror;

import io.berth.oci.Digest;
import io.berth.storage.BlobLayout;
import java.util.OptionalLong;

/**
 * The layout of the mirror tree, which mirror operators copy (with rsync or any HTTP-servable copy)
 * and which {@code berth mirror export} writes:
 *
 * <pre>
 * blobs/&lt;algorithm&gt;/&lt;first two hex digits&gt;/&lt;hex&gt;   the blob's bytes, immutable
 * berth-sync/generations/&lt;N&gt;                      the digests generation N added: "&lt;digest&gt; &lt;size&gt;" per line; never changes
 * berth-sync/generation                            "&lt;N&gt;\n": the newest generation whose blobs are all in the tree
 * </pre>
 *
 * A tree that holds {@code berth-sync/generation} = N holds every blob of generations 1..N, so a
 * mirror's freshness is that one number. The file is written last by the export, and mirror
 * operators copy it last (see {@code docs/mirrors.md}).
 */
public final class SyncIndex {
    public static final String DIRECTORY = "berth-sync/";
    public static final String GENERATION_FILE = DIRECTORY + "generation";
    public static final String GENERATIONS_DIRECTORY = DIRECTORY + "generations/";
    /** A generation file is a number and a newline; anything longer is not one. */
    public static final int MAX_GENERATION_FILE_BYTES = 64;

    private SyncIndex() {
    }

    /** Where a blob lives, relative to the tree's root. The same layout as a filesystem blob store's. */
    public static String blobPath(Digest digest) {
        return BlobLayout.blobKey(digest);
    }

    public static String generationListPath(long generation) {
        return GENERATIONS_DIRECTORY + generation;
    }

    /** One line of a generation's list. */
    public static String listLine(Digest digest, long size) {
        return digest + " " + size + "\n";
    }

    /** The generation a {@code berth-sync/generation} file states, or empty when it states none. */
    public static OptionalLong parseGeneration(String content) {
        String text = content.strip();
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long generation = Long.parseLong(text);
        return generation > 0 ? OptionalLong.of(generation) : OptionalLong.empty();
    }
}
