package io.berth.mirror;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * The catalogue as last read: every mirror's status, the selector over them, and the newest mirror
 * generation whose export finished (the blobs a CDN in front of the mirror tree can serve).
 */
public record MirrorSnapshot(List<MirrorStatus> statuses, MirrorSelector selector, OptionalLong publishedGeneration,
                             Instant readAt) {

    public MirrorSnapshot {
        statuses = List.copyOf(statuses);
    }

    public static MirrorSnapshot of(List<MirrorStatus> statuses, OptionalLong publishedGeneration, Instant readAt) {
        return new MirrorSnapshot(statuses, new MirrorSelector(statuses), publishedGeneration, readAt);
    }

    public static MirrorSnapshot empty() {
        return of(List.of(), OptionalLong.empty(), Instant.EPOCH);
    }
}
