package io.berth.server;

import io.berth.audit.AuditReader;
import io.berth.audit.AuditTrail;
import io.berth.audit.RobotAdministration;
import io.berth.gc.GarbageCollector;
import io.berth.gc.GcPlan;
import io.berth.gc.GcPlanner;
import io.berth.gc.GcReport;
import io.berth.http.Administration;
import io.berth.metadata.MetadataStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds what the administrative endpoints act on: robots, the audit trail, garbage collection on demand. */
final class AdministrationSetup {
    private AdministrationSetup() {
    }

    static Administration administration(MetadataStore metadata, GarbageCollector collector, Clock clock,
                                         GcStatusBoard gcStatus) {
        return new Administration(new RobotAdministration(metadata, new AuditTrail(clock), clock), new AuditReader(metadata),
                (dryRun, listed) -> {
                    if (dryRun) {
                        return describe(new GcPlanner(metadata, clock, collector.policy()).plan(), listed);
                    }
                    GcReport report = collector.runPass();
                    gcStatus.passed(report);
                    return describe(report);
                }, gcStatus);
    }

    /** A pass's figures, under the names {@code berth gc} prints. */
    static Map<String, Object> describe(GcReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("skipped", report.skipped().isEmpty() ? null : report.skipped());
        body.put("tags", report.tagsRemoved());
        body.put("manifests", report.manifestsRemoved());
        body.put("links", report.linksRemoved());
        body.put("blobs", report.blobsRemoved());
        body.put("bytes", report.bytesReclaimed());
        body.put("repositories", report.repositoriesRemoved());
        body.put("generations", report.generationsRemoved());
        body.put("reviews-queued", report.reviewsQueued());
        body.put("took-ms", report.took().toMillis());
        body.put("summary", report.summary());
        return body;
    }

    /** A dry run: the counts, and at most {@code listed} items of each kind. */
    static Map<String, Object> describe(GcPlan plan, int listed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dry-run", true);
        body.put("tags", plan.tags().size());
        body.put("manifests", plan.manifests().size());
        body.put("links", plan.links().size());
        body.put("blobs", plan.blobs().size());
        body.put("bytes", plan.bytes());
        body.put("items", Map.of(
                "tags", first(plan.tags(), listed),
                "manifests", first(plan.manifests(), listed),
                "links", first(plan.links(), listed),
                "blobs", first(plan.blobs().stream().map(blob -> blob.digest() + " " + blob.size()).toList(), listed)));
        body.put("truncated", plan.tags().size() > listed || plan.manifests().size() > listed
                || plan.links().size() > listed || plan.blobs().size() > listed);
        return body;
    }

    private static List<String> first(List<String> items, int listed) {
        return items.size() > listed ? items.subList(0, listed) : items;
    }
}
