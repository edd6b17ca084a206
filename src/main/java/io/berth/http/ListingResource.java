package io.berth.http;

import io.berth.metadata.ReferrerRecord;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.MediaTypes;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.ContentListing;
import io.berth.registry.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Content discovery: tag lists (end-8), the catalog, and referrers (end-12). */
final class ListingResource {
    private final ContentListing listing;

    ListingResource(ContentListing listing) {
        this.listing = listing;
    }

    void tags(Exchange exchange, RepositoryName name) {
        requireGet(exchange);
        OptionalInt n = exchange.intQuery("n");
        Optional<String> last = exchange.query("last");
        Page<String> page = listing.tags(name, n, last);
        if (page.hasMore()) {
            link(exchange, Routes.tags(name), n, page.items().getLast());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name.value());
        body.put("tags", page.items());
        exchange.sendJson(200, body);
    }

    /** The catalog, listing only repositories {@code visible} accepts (those the caller may pull). */
    void catalog(Exchange exchange, java.util.function.Predicate<RepositoryName> visible) {
        requireGet(exchange);
        OptionalInt n = exchange.intQuery("n");
        Page<RepositoryName> page = listing.catalog(n, exchange.query("last"), visible);
        if (page.hasMore()) {
            link(exchange, Routes.catalog(), n, page.items().getLast().value());
        }
        exchange.sendJson(200, Map.of("repositories", page.items().stream().map(RepositoryName::value).toList()));
    }

    void referrers(Exchange exchange, RepositoryName name, Digest subject) {
        requireGet(exchange);
        Optional<String> artifactType = exchange.query("artifactType");
        if (artifactType.isPresent() && artifactType.get().length() > Limits.MAX_ARTIFACT_TYPE_LENGTH) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, "artifactType is too long");
        }
        List<ReferrerRecord> referrers = listing.referrers(name, subject, artifactType);
        if (artifactType.isPresent()) {
            exchange.setHeader("OCI-Filters-Applied", "artifactType");
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", referrers.stream().map(ListingResource::descriptor).toList());
        exchange.send(200, MediaTypes.OCI_INDEX, Exchange.toJson(index));
    }

    private static Map<String, Object> descriptor(ReferrerRecord referrer) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", referrer.mediaType());
        descriptor.put("digest", referrer.digest().toString());
        descriptor.put("size", referrer.size());
        referrer.artifactType().ifPresent(type -> descriptor.put("artifactType", type));
        if (!referrer.annotations().isEmpty()) {
            descriptor.put("annotations", referrer.annotations());
        }
        return descriptor;
    }

    private static void link(Exchange exchange, String path, OptionalInt n, String last) {
        String query = n.isPresent() ? "?n=" + n.getAsInt() + "&last=" + last : "?last=" + last;
        exchange.setHeader("Link", "<" + path + query + ">; rel=\"next\"");
    }

    private static void requireGet(Exchange exchange) {
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            Resources.methodNotAllowed(exchange, "GET");
        }
    }
}
