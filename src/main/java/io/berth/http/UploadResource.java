package io.berth.http;

import io.berth.oci.ByteRange;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.BlobInfo;
import io.berth.registry.BlobService;
import io.berth.registry.UploadService;
import io.berth.registry.UploadStatus;
import java.util.Optional;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (end-4a, end-4b, end-11) and
 * {@code /v2/<name>/blobs/uploads/<id>} with PATCH (end-5), PUT (end-6), GET (end-13) and DELETE
 * (cancel, from the draft spec).
 */
final class UploadResource {
    private final UploadService uploads;
    private final BlobService blobs;
    /**
     * With authentication, a mount needs {@code from}: mounting by digest alone could reveal a blob
     * of a repository the caller may not read.
     */
    private final boolean mountRequiresFrom;

    UploadResource(UploadService uploads, BlobService blobs, boolean mountRequiresFrom) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.mountRequiresFrom = mountRequiresFrom;
    }

    void handleStart(Exchange exchange, RepositoryName name) {
        if (!exchange.method().equals("POST")) {
            Resources.methodNotAllowed(exchange, "POST");
        }
        Optional<String> mount = exchange.query("mount");
        if (mount.isPresent()) {
            Digest digest = Digest.parse(mount.get());
            Optional<RepositoryName> from = exchange.query("from").map(RepositoryName::parse);
            Optional<BlobInfo> mounted = from.isEmpty() && mountRequiresFrom
                    ? Optional.empty() : blobs.mount(name, digest, from);
            if (mounted.isPresent()) {
                created(exchange, name, mounted.get());
                return;
            }
        }
        Optional<String> digest = exchange.query("digest");
        if (digest.isPresent()) {
            Digest expected = Digest.parse(digest.get());
            BlobInfo blob = uploads.uploadWhole(name, expected, exchange.contentLength(), exchange.body());
            created(exchange, name, blob);
            return;
        }
        accepted(exchange, uploads.start(name));
    }

    void handle(Exchange exchange, RepositoryName name, String id) {
        switch (exchange.method()) {
            case "GET" -> {
                UploadStatus status = uploads.status(name, id);
                progressHeaders(exchange, status);
                exchange.send(204);
            }
            case "PATCH" -> accepted(exchange, uploads.append(name, id, contentRange(exchange),
                    exchange.contentLength(), exchange.body()));
            case "PUT" -> {
                Digest expected = Digest.parse(exchange.query("digest").orElseThrow(
                        () -> RegistryException.of(ErrorCode.DIGEST_INVALID, "the digest query parameter is required")));
                BlobInfo blob = uploads.complete(name, id, expected, contentRange(exchange),
                        exchange.contentLength(), exchange.body());
                created(exchange, name, blob);
            }
            case "DELETE" -> {
                uploads.cancel(name, id);
                exchange.send(204);
            }
            default -> Resources.methodNotAllowed(exchange, "GET, PATCH, PUT, DELETE");
        }
    }

    private static Optional<ByteRange> contentRange(Exchange exchange) {
        return exchange.header("Content-Range").map(ByteRange::parseContentRange);
    }

    private static void created(Exchange exchange, RepositoryName name, BlobInfo blob) {
        exchange.setHeader("Location", Routes.blob(name, blob.digest()));
        exchange.setHeader("Docker-Content-Digest", blob.digest().toString());
        exchange.send(201);
    }

    private static void accepted(Exchange exchange, UploadStatus status) {
        progressHeaders(exchange, status);
        exchange.send(202);
    }

    static void progressHeaders(Exchange exchange, UploadStatus status) {
        exchange.setHeader("Location", Routes.upload(status.repository(), status.id()));
        exchange.setHeader("Range", ByteRange.receivedHeader(status.size()));
        exchange.setHeader("Docker-Upload-UUID", status.id().value());
    }
}
