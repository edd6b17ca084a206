package io.berth.http;

import io.berth.events.EventOrigin;
import io.berth.metadata.StoredManifest;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.Reference;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import io.berth.protection.TagWriter;
import io.berth.registry.ManifestService;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** {@code /v2/<name>/manifests/<reference>}: GET and HEAD (end-3), PUT (end-7), DELETE (end-9). */
final class ManifestResource {
    private final ManifestService manifests;
    private final PublicContent publicContent;
    private final ClientAddresses clients;

    /**
     * @param publicContent which manifests shared caches may keep; the others are answered {@code private}
     * @param clients       how the client's address is found behind trusted proxies, for the events a change records
     */
    ManifestResource(ManifestService manifests, PublicContent publicContent, ClientAddresses clients) {
        this.manifests = manifests;
        this.publicContent = publicContent;
        this.clients = clients;
    }

    private EventOrigin origin(Exchange exchange, TagWriter writer) {
        String address = clients.clientOf(exchange.peerAddress(), exchange.headerValues(MirrorRouting.FORWARDED_FOR))
                .getHostAddress();
        return ManifestService.origin(writer).withClientAddress(address);
    }

    /** @param writer who the request proved to be, for tag protection */
    void handle(Exchange exchange, RepositoryName name, Reference reference, TagWriter writer) throws IOException {
        switch (exchange.method()) {
            case "GET", "HEAD" -> get(exchange, name, reference);
            case "PUT" -> put(exchange, name, reference, writer);
            case "DELETE" -> {
                manifests.delete(name, reference, writer, origin(exchange, writer));
                exchange.send(202);
            }
            default -> Resources.methodNotAllowed(exchange, "GET, HEAD, PUT, DELETE");
        }
    }

    private void get(Exchange exchange, RepositoryName name, Reference reference) {
        StoredManifest manifest = manifests.get(name, reference);
        exchange.setHeader("Docker-Content-Digest", manifest.digest().toString());
        exchange.setHeader("ETag", "\"" + manifest.digest() + "\"");
        if (!publicContent.isPublic(name)) {
            exchange.setHeader("Cache-Control", "private");
        }
        exchange.send(200, manifest.mediaType(), manifest.content());
    }

    private void put(Exchange exchange, RepositoryName name, Reference reference, TagWriter writer) throws IOException {
        List<String> tagParameters = exchange.queryValues("tag");
        if (tagParameters.size() > Limits.MAX_TAGS_PER_MANIFEST_PUT) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 414,
                    "at most " + Limits.MAX_TAGS_PER_MANIFEST_PUT + " tag parameters per request");
        }
        List<Tag> extraTags = tagParameters.stream().map(Tag::parse).toList();
        byte[] content = readLimited(exchange);
        ManifestService.PushResult result = manifests.put(name, reference, exchange.header("Content-Type"), content, extraTags,
                writer, origin(exchange, writer));
        exchange.setHeader("Location", Routes.manifest(name, result.digest()));
        exchange.setHeader("Docker-Content-Digest", result.digest().toString());
        result.subject().ifPresent(subject -> exchange.setHeader("OCI-Subject", subject.toString()));
        if (!extraTags.isEmpty()) {
            exchange.setHeader("OCI-Tag", extraTags.stream().map(Tag::value).distinct().collect(Collectors.joining(", ")));
        }
        exchange.send(201);
    }

    /** Reads the body, refusing more than {@link Limits#MAX_MANIFEST_BYTES} with 413. */
    private static byte[] readLimited(Exchange exchange) throws IOException {
        OptionalLong declared = exchange.contentLength();
        if (declared.isPresent() && declared.getAsLong() > Limits.MAX_MANIFEST_BYTES) {
            throw tooLarge();
        }
        try (InputStream body = exchange.body()) {
            byte[] content = body.readNBytes(Limits.MAX_MANIFEST_BYTES + 1);
            if (content.length > Limits.MAX_MANIFEST_BYTES) {
                throw tooLarge();
            }
            if (declared.isPresent() && declared.getAsLong() != content.length) {
                throw RegistryException.of(ErrorCode.SIZE_INVALID, "the body is shorter than its Content-Length");
            }
            return content;
        }
    }

    private static RegistryException tooLarge() {
        return RegistryException.withStatus(ErrorCode.SIZE_INVALID, 413,
                "manifests are limited to " + Limits.MAX_MANIFEST_BYTES + " bytes");
    }
}
