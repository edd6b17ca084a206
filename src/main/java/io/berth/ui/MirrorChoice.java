package io.berth.ui;

import io.berth.mirror.DownloadSources;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;

/**
 * Where a client at an address would be sent for one blob, with the reasons, as
 * {@code GET /berth/v1/mirrors/choice} answers it.
 *
 * @param exported whether the repository is in the export scope; when not, the registry serves every blob
 */
public record MirrorChoice(String address, RepositoryName repository, Digest digest, boolean exported,
                           DownloadSources.Decision decision) {
}
