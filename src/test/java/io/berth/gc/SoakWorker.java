package io.berth.gc;

import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One client of a soak: pushes images that share layers (checking blobs first, mounting some from
 * other repositories), moves and deletes its tags, deletes manifests, promotes, and pulls back what
 * it was told it pushed. Each tag belongs to one worker, which changes it only in sequence, so the
 * worker knows exactly which acknowledged image every one of its tags must serve. Every request goes
 * to a node picked at random.
 */
final class SoakWorker implements Runnable {
    /** Tags a worker owns in each repository: few, so that pushes keep moving them. */
    private static final int TAGS_PER_REPOSITORY = 3;

    private final int id;
    private final SoakPlan plan;
    private final List<RegistryHttp> nodes;
    private final SoakCounts counts;
    private final Set<String> manifestsSeen;
    private final Random random;
    private final SoakPulls pulls;
    private final BooleanSupplier running;
    /** {@code repository:tag} → the image the tag must serve, for this worker's tags. */
    private final Map<String, SoakImage> current = new HashMap<>();
    private int pushed;
    private int promoted;

    /**
     * @param manifestsSeen every {@code repository@digest} any worker stored or tried to, shared, so
     *                      that the end of the run can delete them all
     */
    SoakWorker(int id, SoakPlan plan, List<RegistryHttp> nodes, SoakCounts counts, Set<String> manifestsSeen,
               BooleanSupplier running) {
        this.id = id;
        this.plan = plan;
        this.nodes = List.copyOf(nodes);
        this.counts = counts;
        this.manifestsSeen = manifestsSeen;
        this.random = new Random(plan.seed() * 7_919 + id);
        this.pulls = new SoakPulls(nodes, counts, random);
        this.running = running;
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            try {
                step();
            } catch (RuntimeException e) {
                counts.otherFailure("worker " + id + ": " + e);
            }
        }
    }

    /** What this worker's tags serve now: {@code repository:tag} → image. */
    Map<String, SoakImage> current() {
        return Map.copyOf(current);
    }

    private void step() {
        int roll = random.nextInt(100);
        if (plan.pushesOnly() || roll < 45 || current.isEmpty()) {
            push(plan.repositories().get(random.nextInt(plan.repositories().size())),
                    "w" + id + "-t" + random.nextInt(TAGS_PER_REPOSITORY));
        } else if (roll < 70) {
            String placement = anyCurrent();
            pulls.verify(repository(placement), tag(placement), current.get(placement));
        } else if (roll < 80) {
            deleteTag(anyCurrent());
        } else if (roll < 88) {
            deleteManifest(anyCurrent());
        } else if (plan.promotionTarget().isPresent()) {
            promote(anyCurrent());
        }
    }

    // --- pushing ----------------------------------------------------------------------------------

    private void push(String repository, String tag) {
        counts.pushesAttempted.increment();
        SoakImage image = SoakImage.next("w" + id + "-" + pushed++ + "-" + random.nextLong(), plan.sharedLayers(), random);
        String placement = repository + ":" + tag;
        for (TestBlob blob : image.blobs()) {
            String failed = pushBlob(repository, blob, true);
            if (!failed.isEmpty()) {
                counts.refused(failed);
                current.remove(placement);
                return;
            }
        }
        manifestsSeen.add(repository + "@" + image.manifest().digest());
        String refusal = putManifest(repository, tag, image);
        if (refusal.equals("manifest 400 MANIFEST_BLOB_UNKNOWN")) {
            // What clients do: upload the blobs again (garbage collection may have taken an
            // unreferenced one since it was checked) and put the manifest once more.
            counts.refused(refusal + " (pushed again)");
            for (TestBlob blob : image.blobs()) {
                String failed = pushBlob(repository, blob, false);
                if (!failed.isEmpty()) {
                    refusal = failed;
                    break;
                }
            }
            refusal = refusal.startsWith("blob") ? refusal : putManifest(repository, tag, image);
            if (refusal.isEmpty()) {
                counts.pushesRetried.increment();
            }
        }
        if (refusal.isEmpty()) {
            counts.pushesAcknowledged.increment();
            current.put(placement, image);
        } else {
            // Not acknowledged: the tag may serve the earlier image or, when the answer was lost, this one.
            counts.refused(refusal);
            current.remove(placement);
        }
    }

    /** Empty when the repository holds the blob afterwards, else why not. */
    private String pushBlob(String repository, TestBlob blob, boolean mayReuse) {
        try {
            if (mayReuse && plan.sharedLayers().contains(blob) && random.nextInt(3) == 0) {
                return mount(repository, blob);
            }
            if (mayReuse && node().head("/v2/" + repository + "/blobs/" + blob.digest()).statusCode() == 200) {
                return "";
            }
            HttpResponse<byte[]> response = node().post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), blob.content());
            return response.statusCode() == 201 ? "" : "blob " + describe(response);
        } catch (RuntimeException e) {
            return "blob " + e.getClass().getSimpleName();
        }
    }

    private String mount(String repository, TestBlob blob) {
        String from = plan.repositories().get(random.nextInt(plan.repositories().size()));
        HttpResponse<byte[]> response = node().post("/v2/" + repository + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + from);
        if (response.statusCode() == 201) {
            counts.mounts.increment();
            return "";
        }
        if (response.statusCode() != 202) {
            return "mount " + describe(response);
        }
        counts.mountsFellBackToUpload.increment();
        String location = response.headers().firstValue("Location").orElseThrow();
        String separator = location.contains("?") ? "&" : "?";
        HttpResponse<byte[]> closed = node().put(location + separator + "digest=" + blob.digest(), "application/octet-stream",
                blob.content());
        return closed.statusCode() == 201 ? "" : "blob " + describe(closed);
    }

    private String putManifest(String repository, String tag, SoakImage image) {
        try {
            HttpResponse<byte[]> response = node().put("/v2/" + repository + "/manifests/" + tag, image.mediaType(),
                    image.manifest().content());
            return response.statusCode() == 201 ? "" : "manifest " + describe(response);
        } catch (RuntimeException e) {
            return "manifest " + e.getClass().getSimpleName();
        }
    }

    // --- changing and deleting --------------------------------------------------------------------

    private void deleteTag(String placement) {
        current.remove(placement);
        HttpResponse<byte[]> response = node().delete("/v2/" + repository(placement) + "/manifests/" + tag(placement));
        if (response.statusCode() == 202) {
            counts.tagDeletes.increment();
        } else {
            counts.otherFailure("delete tag " + placement + ": " + describe(response));
        }
    }

    private void deleteManifest(String placement) {
        SoakImage image = current.remove(placement);
        // Every tag of the repository that names the manifest goes with it (a promotion can tag it twice).
        current.entrySet().removeIf(entry -> repository(entry.getKey()).equals(repository(placement))
                && entry.getValue().manifest().digest().equals(image.manifest().digest()));
        HttpResponse<byte[]> response = node().delete("/v2/" + repository(placement) + "/manifests/" + image.manifest().digest());
        if (response.statusCode() == 202) {
            counts.manifestDeletes.increment();
        } else {
            counts.otherFailure("delete manifest " + placement + "@" + image.manifest().digest() + ": " + describe(response));
        }
    }

    /** Promotes the image of one of this worker's tags to the same repository under the target namespace. */
    private void promote(String placement) {
        String source = repository(placement);
        String target = plan.promotionTarget().orElseThrow() + source.substring(source.indexOf('/'));
        if (source.startsWith(plan.promotionTarget().get())) {
            return;
        }
        SoakImage image = current.get(placement);
        // A new tag each time: promotion never moves a tag that names another image (the immutable-tags gate).
        String targetPlacement = target + ":w" + id + "-p" + promoted++;
        manifestsSeen.add(target + "@" + image.manifest().digest());
        String body = "{\"source\":\"" + source + "@" + image.manifest().digest() + "\",\"targets\":[\"" + targetPlacement + "\"]}";
        try {
            HttpResponse<byte[]> response = node().post("/berth/v1/promotions", body.getBytes(StandardCharsets.UTF_8));
            if (response.statusCode() == 201 || response.statusCode() == 200) {
                counts.promotions.increment();
                current.put(targetPlacement, image);
                return;
            }
            counts.otherFailure("promote " + placement + " to " + targetPlacement + ": " + describe(response) + " "
                    + RegistryHttp.text(response));
        } catch (RuntimeException e) {
            counts.otherFailure("promote " + placement + " to " + targetPlacement + ": " + e);
        }
        current.remove(targetPlacement);
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private RegistryHttp node() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    private String anyCurrent() {
        List<String> placements = new ArrayList<>(current.keySet());
        placements.sort(null);
        return placements.get(random.nextInt(placements.size()));
    }

    private static String repository(String placement) {
        return placement.substring(0, placement.lastIndexOf(':'));
    }

    private static String tag(String placement) {
        return placement.substring(placement.lastIndexOf(':') + 1);
    }

    /** {@code 400 MANIFEST_BLOB_UNKNOWN}, or the status alone when the body names no error code. */
    static String describe(HttpResponse<byte[]> response) {
        String code = "";
        try {
            code = RegistryHttp.errorCode(response);
        } catch (RuntimeException e) {
            code = "";
        }
        return (response.statusCode() + " " + code).strip();
    }
}
