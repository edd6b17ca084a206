package io.berth.gc;

import io.berth.integrity.ByteRate;
import io.berth.integrity.CheckProgress;
import io.berth.integrity.Finding;
import io.berth.integrity.Fsck;
import io.berth.oci.Digest;
import io.berth.server.IntegrityTools;
import io.berth.storage.CommittedBlob;
import io.berth.testing.LogCapture;
import io.berth.testing.RegistryHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A garbage-collection soak: for a bounded time, {@link SoakWorker}s push images that share layers,
 * move and delete tags, delete manifests, mount across repositories and promote, over real HTTP to
 * every node, while each node's collector runs passes back to back with a one-second grace. Each
 * worker keeps pulling back what it was told it pushed. At the end every image still tagged is
 * pulled once more, everything outside the first repository is deleted, passes run until nothing
 * more goes, and the store must hold exactly the blobs of what was kept, with {@code berth fsck}
 * clean. {@code GcSoakTest} runs it briefly; {@code bench/gc soak} for minutes.
 */
final class GcSoak {
    /** How long the final passes may take to remove what the run left behind. */
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(3);
    /** Passes in a row that remove nothing, with nothing queued, before the registry counts as settled. */
    private static final int QUIET_PASSES = 3;

    private final SoakNodes nodes;
    private final SoakPlan plan;
    private final SoakCounts counts = new SoakCounts();
    private final Set<String> manifestsSeen = ConcurrentHashMap.newKeySet();

    GcSoak(SoakNodes nodes, SoakPlan plan) {
        this.nodes = nodes;
        this.plan = plan;
    }

    SoakReport run() throws Exception {
        List<RegistryHttp> clients = nodes.clients();
        List<SoakWorker> workers = new ArrayList<>();
        long requestDeadlocks;
        try (LogCapture log = LogCapture.start()) {
            AtomicBoolean loading = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < plan.workers(); i++) {
                SoakWorker worker = new SoakWorker(i, plan, clients, counts, manifestsSeen, loading::get);
                workers.add(worker);
                threads.add(Thread.ofPlatform().name("soak-client-" + i).start(worker));
            }
            if (plan.collecting()) {
                for (GarbageCollector collector : nodes.collectors()) {
                    threads.add(Thread.ofPlatform().name("soak-gc").start(() -> collectWhile(collector, loading)));
                }
            }
            Thread.sleep(plan.load().toMillis());
            loading.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            requestDeadlocks = log.lines().stream().filter(line -> line.contains("deadlock detected")).count();
        }
        SoakPulls pulls = new SoakPulls(clients, counts, new Random(plan.seed()));
        Map<String, SoakImage> current = new HashMap<>();
        workers.forEach(worker -> current.putAll(worker.current()));
        current.forEach((placement, image) -> pulls.verify(repository(placement), tag(placement), image));

        String keptRepository = plan.repositories().getFirst();
        Map<String, SoakImage> kept = new HashMap<>();
        current.forEach((placement, image) -> {
            if (repository(placement).equals(keptRepository)) {
                kept.put(placement, image);
            }
        });
        deleteAllBut(clients, kept);
        long settleStarted = System.nanoTime();
        settle();
        Duration settled = Duration.ofNanos(System.nanoTime() - settleStarted);
        kept.forEach((placement, image) -> pulls.verify(repository(placement), tag(placement), image));
        return report(kept, requestDeadlocks, settled);
    }

    /** Runs passes back to back while the load runs, counting what they did. */
    private void collectWhile(GarbageCollector collector, AtomicBoolean loading) {
        while (loading.get()) {
            try {
                GcReport report = collector.runPass();
                counts.gcPasses.increment();
                counts.gcDeadlocks.add(report.deadlocks());
                counts.gcBlobsRemoved.add(report.blobsRemoved());
                counts.gcManifestsRemoved.add(report.manifestsRemoved());
                counts.gcLinksRemoved.add(report.linksRemoved());
                Thread.sleep(plan.pauseBetweenPasses().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                counts.otherFailure("garbage-collection pass: " + e);
            }
        }
    }

    /** Deletes, by digest, every manifest the run stored or tried to, except the images kept. */
    private void deleteAllBut(List<RegistryHttp> clients, Map<String, SoakImage> kept) {
        Set<String> keep = new TreeSet<>();
        kept.forEach((placement, image) -> keep.add(repository(placement) + "@" + image.manifest().digest()));
        RegistryHttp node = clients.getFirst();
        for (String manifest : new TreeSet<>(manifestsSeen)) {
            if (keep.contains(manifest)) {
                continue;
            }
            String repository = manifest.substring(0, manifest.indexOf('@'));
            String digest = manifest.substring(manifest.indexOf('@') + 1);
            HttpResponse<byte[]> response = node.delete("/v2/" + repository + "/manifests/" + digest);
            if (response.statusCode() != 202 && response.statusCode() != 404) {
                counts.otherFailure("final delete of " + manifest + ": " + SoakWorker.describe(response));
            }
        }
    }

    /** Runs passes on every node until {@link #QUIET_PASSES} rounds in a row remove nothing and leave nothing queued. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int quiet = 0;
        while (quiet < QUIET_PASSES && System.nanoTime() < deadline) {
            boolean busy = false;
            for (GarbageCollector collector : nodes.collectors()) {
                GcReport report = collector.runPass();
                busy |= report.removedAnything() || report.reviewsQueued() > 0;
            }
            quiet = busy ? 0 : quiet + 1;
            if (busy) {
                Thread.sleep(SoakNodes.GRACE.toMillis() / 2);
            }
        }
    }

    private SoakReport report(Map<String, SoakImage> kept, long requestDeadlocks, Duration settled) throws Exception {
        Map<Digest, Long> expected = new HashMap<>();
        kept.values().forEach(image -> image.blobs().forEach(blob -> expected.put(blob.digest(), blob.size())));
        long actualBlobs = 0;
        long actualBytes = 0;
        List<Digest> unexpected = new ArrayList<>();
        Optional<Digest> after = Optional.empty();
        while (true) {
            List<CommittedBlob> page = nodes.inventory().committedBlobs(after, 1_000);
            for (CommittedBlob blob : page) {
                actualBlobs++;
                actualBytes += blob.size();
                if (!expected.containsKey(blob.digest())) {
                    unexpected.add(blob.digest());
                }
            }
            if (page.size() < 1_000) {
                break;
            }
            after = Optional.of(page.getLast().digest());
        }
        Fsck.Report fsck = IntegrityTools.fsck(nodes.config(), new Fsck.Options(false, OptionalLong.empty(), Optional.empty()),
                true, ByteRate.unlimited(), CheckProgress.silent());
        List<String> failures = new ArrayList<>(counts.failedPullsListed());
        failures.addAll(counts.otherFailuresListed());
        fsck.findings().listed().stream().filter(finding -> finding.kind().problem()).limit(SoakCounts.LISTED)
                .map(Finding::toString).forEach(failures::add);
        unexpected.stream().limit(SoakCounts.LISTED).map(this::describeStored).forEach(failures::add);
        return new SoakReport(nodes.description(), plan.load(), counts.pushesAttempted.sum(), counts.pushesAcknowledged.sum(),
                counts.pushesRetried.sum(), counts.refusalsByReason(), counts.mounts.sum(), counts.mountsFellBackToUpload.sum(),
                counts.tagDeletes.sum(), counts.manifestDeletes.sum(), counts.promotions.sum(), counts.verifiedPulls.sum(),
                counts.failedPullCount(), counts.transientPullErrors.sum(), counts.otherFailureCount(), failures,
                counts.gcPasses.sum(), counts.gcDeadlocks.sum(), requestDeadlocks,
                "%d blobs, %d manifests, %d links".formatted(counts.gcBlobsRemoved.sum(), counts.gcManifestsRemoved.sum(),
                        counts.gcLinksRemoved.sum()),
                kept.size(), expected.size(), actualBlobs, expected.values().stream().mapToLong(Long::longValue).sum(),
                actualBytes, fsck.findings().problems(), findingsByKind(fsck), settled);
    }

    /** What the database says of a blob the store holds but no kept image names, to tell a leak's cause. */
    private String describeStored(Digest digest) {
        return nodes.metadata().read(session -> "stored but not kept: %s, recorded size %s, links %s, removal pending %s, removed at %s"
                .formatted(digest, session.blobSize(digest), session.gc().linksOf(digest),
                        session.gc().blobDeletionPending(digest), session.gc().blobRemovedAt(digest)));
    }

    private static Map<String, Long> findingsByKind(Fsck.Report fsck) {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        for (Finding.Kind kind : Finding.Kind.values()) {
            if (fsck.findings().count(kind) > 0) {
                byKind.put(kind.name(), fsck.findings().count(kind));
            }
        }
        return byKind;
    }

    private static String repository(String placement) {
        return placement.substring(0, placement.lastIndexOf(':'));
    }

    private static String tag(String placement) {
        return placement.substring(placement.lastIndexOf(':') + 1);
    }
}
