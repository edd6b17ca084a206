package io.berth.http;

import io.berth.mirror.CrawlResult;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.Mirror;
import io.berth.mirror.MirrorSelector;
import io.berth.mirror.MirrorSnapshot;
import io.berth.mirror.MirrorStatus;
import io.berth.mirror.Netblock;
import io.berth.mirror.ProbeState;
import io.berth.mirror.SourceHealth;
import io.berth.oci.Digest;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.registry.BlobInfo;
import io.berth.registry.BlobService;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Berth's mirror endpoints ({@code docs/api.md}, "Mirrors"):
 * <ul>
 *   <li>{@code GET /berth/v1/mirrors} — every mirror's state; private mirrors only for admins;</li>
 *   <li>{@code GET /berth/v1/mirrors/choice?client=ADDRESS&repository=NAME&digest=DIGEST} — the
 *       source a client at ADDRESS would be sent to for the blob, with every candidate (admins only);</li>
 *   <li>{@code POST /berth/v1/mirrors/crawl} — crawl every mirror now, answer the results (admins only).</li>
 * </ul>
 */
final class MirrorResource {
    private static final String JSON = "application/json";

    private final Optional<MirrorRouting> routing;
    private final BlobService blobs;

    MirrorResource(Optional<MirrorRouting> routing, BlobService blobs) {
        this.routing = routing;
        this.blobs = blobs;
    }

    void list(Exchange exchange, boolean admin) {
        Resources.requireMethod(exchange, "GET", "HEAD");
        DownloadSources sources = routing().sources();
        MirrorSnapshot snapshot = sources.snapshot();
        List<Map<String, Object>> mirrors = new ArrayList<>();
        for (MirrorStatus status : snapshot.statuses()) {
            if (admin || !status.mirror().privateMirror()) {
                Map<String, Object> entry = describe(status, admin);
                entry.putAll(probe(sources.health(), status.mirror().baseUri()));
                mirrors.add(entry);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("publishedGeneration", snapshot.publishedGeneration().isPresent() ? snapshot.publishedGeneration().getAsLong() : null);
        body.put("readAt", snapshot.readAt().toString());
        body.put("cdn", sources.cdnBase().map(cdn -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("url", cdn.toString());
            entry.putAll(probe(sources.health(), cdn));
            return entry;
        }).orElse(null));
        body.put("mirrors", mirrors);
        exchange.send(200, JSON, Exchange.toJson(body));
    }

    void choice(Exchange exchange) throws Exception {
        Resources.requireMethod(exchange, "GET", "HEAD");
        String clientText = required(exchange, "client");
        InetAddress client = Netblock.literal(clientText).orElseThrow(() ->
                Resources.badRequest("client must be a numeric IP address, not " + clientText));
        RepositoryName repository = Resources.name(required(exchange, "repository"));
        BlobInfo blob = blobs.stat(repository, Digest.parse(required(exchange, "digest")));
        boolean exported = routing().scope().includes(repository);
        // As BlobResource decides: a blob asked for through a repository out of the export scope is never sent elsewhere.
        DownloadSources.Decision decision = routing().sources().explain(client, blob.digest(),
                exported ? blob.mirrorGeneration() : java.util.OptionalLong.empty());
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("address", client.getHostAddress());
        location.put("country", decision.client().country().orElse(null));
        location.put("continent", decision.client().continent().orElse(null));
        location.put("asn", decision.client().autonomousSystem().isPresent() ? decision.client().autonomousSystem().getAsLong() : null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client", location);
        body.put("digest", blob.digest().toString());
        body.put("generation", blob.mirrorGeneration().isPresent() ? blob.mirrorGeneration().getAsLong() : null);
        body.put("exported", exported);
        body.put("source", decision.kind().name().toLowerCase(java.util.Locale.ROOT));
        body.put("location", decision.location().map(Object::toString).orElse(null));
        body.put("mirror", decision.mirror().map(Mirror::name).orElse(null));
        body.put("candidates", decision.candidates().stream().map(candidate -> candidate(candidate, blob.digest())).toList());
        body.put("unreachable", decision.unreachable().stream().map(candidate -> {
            Map<String, Object> entry = candidate(candidate, blob.digest());
            entry.putAll(probe(routing().sources().health(), candidate.mirror().baseUri()));
            return entry;
        }).toList());
        body.put("cdnReachable", routing().sources().cdnBase().map(cdn -> routing().sources().health().reachable(cdn)).orElse(null));
        exchange.send(200, JSON, Exchange.toJson(body));
    }

    void crawl(Exchange exchange) throws InterruptedException {
        Resources.requireMethod(exchange, "POST");
        List<CrawlResult> results = routing().crawler().crawlAll();
        List<Map<String, Object>> body = new ArrayList<>();
        for (CrawlResult result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("mirror", result.mirror());
            entry.put("ok", result.succeeded());
            entry.put("generation", result.generation().isPresent() ? result.generation().getAsLong() : null);
            entry.put("error", result.error().orElse(null));
            body.add(entry);
        }
        exchange.send(200, JSON, Exchange.toJson(Map.of("crawled", body)));
    }

    private MirrorRouting routing() {
        return routing.orElseThrow(() -> RegistryException.withStatus(ErrorCode.UNSUPPORTED, 404, "mirrors are not configured"));
    }

    private static String required(Exchange exchange, String parameter) {
        return exchange.query(parameter).filter(value -> !value.isBlank()).orElseThrow(() ->
                Resources.badRequest("the query parameter " + parameter + " is required"));
    }

    private static Map<String, Object> candidate(MirrorSelector.Candidate candidate, Digest digest) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("mirror", candidate.mirror().name());
        entry.put("reason", candidate.reason().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("url", candidate.mirror().blobUri(digest).toString());
        return entry;
    }

    /** What this node's probes found of a source ({@code docs/mirrors.md}, "Failover"). */
    private static Map<String, Object> probe(SourceHealth health, URI source) {
        ProbeState state = health.state(source);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("reachable", state.reachable());
        entry.put("openSince", state.openSince().map(Object::toString).orElse(null));
        entry.put("probeFailures", state.consecutiveFailures());
        entry.put("lastProbe", state.lastProbeAt().map(Object::toString).orElse(null));
        entry.put("lastProbeError", state.lastError().orElse(null));
        return entry;
    }

    private static Map<String, Object> describe(MirrorStatus status, boolean admin) {
        Mirror mirror = status.mirror();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", mirror.name());
        entry.put("url", mirror.baseUri().toString());
        entry.put("country", mirror.country().orElse(null));
        entry.put("continent", mirror.continent().orElse(null));
        entry.put("bandwidthMbps", mirror.bandwidthMbps());
        entry.put("enabled", mirror.enabled());
        entry.put("usable", status.usable());
        entry.put("stale", status.stale());
        entry.put("syncedGeneration", status.syncedGeneration().isPresent() ? status.syncedGeneration().getAsLong() : null);
        entry.put("consecutiveFailures", status.consecutiveFailures());
        entry.put("lastCrawl", status.lastCrawlAt().map(Object::toString).orElse(null));
        entry.put("lastError", status.lastError().orElse(null));
        if (admin) {
            entry.put("private", mirror.privateMirror());
            entry.put("netblocks", mirror.netblocks().stream().map(Netblock::toString).toList());
            entry.put("asns", mirror.autonomousSystems().stream().sorted().toList());
            entry.put("allowedCountries", mirror.allowedCountries().stream().sorted().toList());
        }
        return entry;
    }
}
