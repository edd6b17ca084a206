package io.berth.gc;

import io.berth.testing.TestBlob;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a soak does.
 *
 * @param load             how long the clients and collectors run together
 * @param workers          concurrent clients
 * @param repositories     where the clients push, e.g. {@code soak/r0}
 * @param sharedLayers     the layers images share
 * @param promotionTarget  the namespace promotions go to ({@code stable} for {@code soak/r0 → stable/r0}); empty: none
 * @param pushesOnly       only push (the throughput benchmark); otherwise the whole mix
 * @param collecting       run garbage-collection passes during the load
 * @param pauseBetweenPasses how long each collector rests between passes
 * @param seed             makes the images and choices of a run reproducible
 */
record SoakPlan(Duration load, int workers, List<String> repositories, List<TestBlob> sharedLayers,
                Optional<String> promotionTarget, boolean pushesOnly, boolean collecting, Duration pauseBetweenPasses,
                long seed) {

    /** Images are pushed under {@code soak/}: the promotion mapping of {@link SoakNodes} maps it to {@code stable/}. */
    static final String SOURCE_NAMESPACE = "soak";
    static final String TARGET_NAMESPACE = "stable";

    SoakPlan {
        repositories = List.copyOf(repositories);
        sharedLayers = List.copyOf(sharedLayers);
        if (workers < 1 || repositories.isEmpty() || sharedLayers.size() < 3) {
            throw new IllegalArgumentException("a soak needs a worker, a repository and three shared layers");
        }
    }

    /** The whole mix, with passes running all along. */
    static SoakPlan mixed(Duration load, int workers, long seed) {
        return new SoakPlan(load, workers, List.of("soak/r0", "soak/r1", "soak/r2"), SoakImage.sharedLayers(6, seed),
                Optional.of(TARGET_NAMESPACE), false, true, Duration.ofMillis(50), seed);
    }

    /** Pushes only, with or without passes beside them. */
    static SoakPlan pushes(Duration load, int workers, boolean collecting, long seed) {
        return new SoakPlan(load, workers, List.of("soak/r0", "soak/r1", "soak/r2"), SoakImage.sharedLayers(6, seed),
                Optional.empty(), true, collecting, Duration.ofMillis(50), seed);
    }
}
