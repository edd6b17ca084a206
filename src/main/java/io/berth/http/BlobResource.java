package io.berth.http;

import io.berth.mirror.DownloadSources;
import io.berth.oci.ByteRange;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.RangeRequest;
import io.berth.oci.RepositoryName;
import io.berth.registry.BlobInfo;
import io.berth.registry.BlobService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;

/** {@code /v2/<name>/blobs/<digest>}: GET and HEAD (end-2), DELETE (end-10). */
final class BlobResource {
    /** Blobs are immutable: caches and CDNs may keep a public one for a year. */
    private static final String PUBLIC_CACHE = "public, max-age=31536000, immutable";
    /** A blob that is not public may be kept by the client that fetched it, never by a shared cache. */
    private static final String PRIVATE_CACHE = "private, max-age=31536000, immutable";
    private static final int TRANSFER_BUFFER_BYTES = 1024 * 1024;

    /** Blobs up to this size (configs, small layers) are read in one call and written at once. */
    private static final int SMALL_BLOB_BYTES = 256 * 1024;

    private final BlobService blobs;
    private final Optional<MirrorRouting> mirrors;
    private final PublicContent publicContent;
    private final ByteBufferPool.Sized transferBuffers;
    private final HttpObserver observer;

    BlobResource(BlobService blobs, Optional<MirrorRouting> mirrors, PublicContent publicContent, ByteBufferPool bufferPool,
                 HttpObserver observer) {
        this.blobs = blobs;
        this.observer = observer;
        this.mirrors = mirrors;
        this.publicContent = publicContent;
        this.transferBuffers = new ByteBufferPool.Sized(bufferPool, true, TRANSFER_BUFFER_BYTES);
    }

    void handle(Exchange exchange, RepositoryName name, Digest digest) throws Exception {
        switch (exchange.method()) {
            case "GET", "HEAD" -> get(exchange, name, digest);
            case "DELETE" -> {
                blobs.delete(name, digest);
                exchange.send(202);
            }
            default -> Resources.methodNotAllowed(exchange, "GET, HEAD, DELETE");
        }
    }

    private void get(Exchange exchange, RepositoryName name, Digest digest) throws Exception {
        BlobInfo blob = blobs.stat(name, digest);
        exchange.setHeader("Docker-Content-Digest", digest.toString());
        exchange.setHeader("ETag", "\"" + digest + "\"");
        exchange.setHeader("Accept-Ranges", "bytes");
        boolean isPublic = publicContent.isPublic(name);
        exchange.setHeader("Cache-Control", isPublic ? PUBLIC_CACHE : PRIVATE_CACHE);
        exchange.response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaTypes.OCTET_STREAM);
        if (!exchange.isHead()) {
            Optional<java.net.URI> elsewhere = downloadSource(exchange, name, blob);
            if (elsewhere.isPresent()) {
                // The bytes come from a mirror, the CDN or the object store; the client repeats its Range header there.
                exchange.response.getHeaders().remove(HttpHeader.CONTENT_TYPE);
                exchange.response.getHeaders().remove("Accept-Ranges");
                exchange.setHeader("Cache-Control", "no-store");
                exchange.setHeader("Location", elsewhere.get().toString());
                exchange.send(302);
                return;
            }
            observer.blobDownload(HttpObserver.BlobSource.REGISTRY, "");
        }
        RangeRequest.Resolution resolution = exchange.isHead()
                ? new RangeRequest.Whole()
                : RangeRequest.resolve(exchange.header("Range"), blob.size());
        switch (resolution) {
            case RangeRequest.Whole whole -> send(exchange, blob, 200, new ByteRange(0, Math.max(0, blob.size() - 1)), blob.size());
            case RangeRequest.Partial partial -> {
                exchange.setHeader("Content-Range", "bytes " + partial.range() + "/" + blob.size());
                send(exchange, blob, 206, partial.range(), partial.range().length());
            }
            case RangeRequest.Unsatisfiable unsatisfiable -> {
                exchange.setHeader("Content-Range", "bytes */" + blob.size());
                exchange.send(416);
            }
        }
    }

    /**
     * Where else the client should fetch the bytes: a mirror or the CDN chosen for the client, else
     * a presigned object-store URL; empty when Berth serves them. Mirrors and the CDN serve anyone, so
     * a blob asked for through a repository outside the export scope is never sent there, even when
     * another repository's export put the same bytes in the tree.
     */
    private Optional<java.net.URI> downloadSource(Exchange exchange, RepositoryName name, BlobInfo blob) {
        // Only an exported blob can be on a mirror or the CDN; for the others the client is not even looked up.
        if (mirrors.isPresent() && blob.mirrorGeneration().isPresent() && mirrors.get().scope().includes(name)) {
            MirrorRouting routing = mirrors.get();
            Optional<DownloadSources.Choice> chosen = routing.sources()
                    .choiceFor(routing.clientOf(exchange), blob.digest(), blob.mirrorGeneration());
            if (chosen.isPresent()) {
                Optional<String> mirror = chosen.get().mirror();
                observer.blobDownload(mirror.isPresent() ? HttpObserver.BlobSource.MIRROR : HttpObserver.BlobSource.CDN,
                        mirror.orElse(""));
                return Optional.of(chosen.get().location());
            }
        }
        Optional<java.net.URI> objectStore = blobs.redirectFor(blob);
        if (objectStore.isPresent()) {
            observer.blobDownload(HttpObserver.BlobSource.OBJECT_STORE, "");
        }
        return objectStore;
    }

    private static ByteBuffer readWhole(Path file, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("blob file " + file + " is shorter than recorded");
                }
            }
        }
        return buffer.flip();
    }

    private void send(Exchange exchange, BlobInfo blob, int status, ByteRange range, long length) throws Exception {
        exchange.response.setStatus(status);
        exchange.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (exchange.isHead() || length == 0) {
            exchange.response.write(true, null, exchange.callback);
            return;
        }
        Optional<Path> file = blobs.localFile(blob);
        Optional<MappedFileSender> mapped = MappedFileSender.ifSupported();
        if (file.isPresent() && length <= SMALL_BLOB_BYTES) {
            exchange.response.write(true, readWhole(file.get(), range.first(), (int) length), exchange.callback);
            return;
        }
        if (file.isPresent() && mapped.isPresent()) {
            try {
                mapped.get().send(exchange.response, file.get(), range.first(), length);
                exchange.callback.succeeded();
            } catch (Throwable failure) {
                // Headers are sent by now: the client sees a cut-short body, and the connection closes.
                exchange.callback.failed(failure);
            }
            return;
        }
        Content.Source source;
        if (file.isPresent()) {
            source = Content.Source.from(transferBuffers, file.get(), range.first(), length);
        } else {
            InputStream stream = blobs.open(blob, range.first(), length);
            source = Content.Source.from(transferBuffers, stream, 0, length);
        }
        Content.copy(source, exchange.response, exchange.callback);
    }
}
