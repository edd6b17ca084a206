package io.berth.gc;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Pulls an image back the way a client does — the manifest by tag, then every blob — and holds it to
 * what was acknowledged: the exact manifest bytes, and every blob's digest and size. A {@code 5xx}
 * or a cut connection is asked again on another node; a {@code 404}, a wrong byte or an error that
 * persists is a failed pull.
 */
final class SoakPulls {
    /** Asks of a transient error; four failures in a row are a failed pull. */
    private static final int ATTEMPTS = 4;

    private final List<RegistryHttp> nodes;
    private final SoakCounts counts;
    private final Random random;

    SoakPulls(List<RegistryHttp> nodes, SoakCounts counts, Random random) {
        this.nodes = List.copyOf(nodes);
        this.counts = counts;
        this.random = random;
    }

    /** Pulls {@code repository:tag} and counts a verified or a failed pull; true when verified. */
    boolean verify(String repository, String tag, SoakImage image) {
        Optional<String> problem = manifestProblem(repository, tag, image);
        for (int i = 0; problem.isEmpty() && i < image.blobs().size(); i++) {
            problem = blobProblem(repository, image.blobs().get(i));
        }
        if (problem.isPresent()) {
            counts.failedPull(repository + ":" + tag + " (" + image.manifest().digest() + "): " + problem.get());
            return false;
        }
        counts.verifiedPulls.increment();
        return true;
    }

    private Optional<String> manifestProblem(String repository, String tag, SoakImage image) {
        Answer answer = get("/v2/" + repository + "/manifests/" + tag);
        if (answer.problem().isPresent()) {
            return answer.problem();
        }
        if (!Arrays.equals(answer.body(), image.manifest().content())) {
            return Optional.of("manifest bytes differ from the acknowledged push");
        }
        return Optional.empty();
    }

    private Optional<String> blobProblem(String repository, TestBlob blob) {
        Answer answer = get("/v2/" + repository + "/blobs/" + blob.digest());
        if (answer.problem().isPresent()) {
            return answer.problem().map(problem -> "blob " + blob.digest() + ": " + problem);
        }
        Digest actual = Digest.of(DigestAlgorithm.SHA256, answer.body());
        if (!actual.equals(blob.digest()) || answer.body().length != blob.size()) {
            return Optional.of("blob " + blob.digest() + " came back as " + actual + " (" + answer.body().length + " bytes)");
        }
        return Optional.empty();
    }

    /** The body of a {@code 200}, asking again on a transient error. */
    private Answer get(String path) {
        String last = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RegistryHttp node = nodes.get(random.nextInt(nodes.size()));
            try {
                HttpResponse<byte[]> response = node.get(path);
                if (response.statusCode() == 200) {
                    if (attempt > 0) {
                        counts.transientPullErrors.increment();
                    }
                    return new Answer(response.body(), Optional.empty());
                }
                last = response.statusCode() + " " + RegistryHttp.text(response);
                if (response.statusCode() < 500) {
                    return new Answer(new byte[0], Optional.of(last));
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
        }
        return new Answer(new byte[0], Optional.of(last + " (" + ATTEMPTS + " attempts)"));
    }

    private record Answer(byte[] body, Optional<String> problem) {
    }
}
