package io.berth.server;

import io.berth.gc.GcReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What garbage collection on this node did last, for the web interface's overview: every pass this
 * node runs, scheduled or asked for by an admin, is reported here; passes of other nodes are not.
 */
final class GcStatusBoard implements io.berth.http.Administration.GcStatus {
    private final Optional<Duration> interval;
    private final Clock clock;
    private final AtomicReference<Optional<Pass>> last = new AtomicReference<>(Optional.empty());

    private record Pass(Instant at, String summary) {
    }

    GcStatusBoard(Optional<Duration> interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    void passed(GcReport report) {
        last.set(Optional.of(new Pass(clock.instant(), report.summary())));
    }

    @Override
    public String describe() {
        String schedule = interval.map(every -> "Passes run on this node every " + every.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + ".")
                .orElse("No pass is scheduled on this node (gc.interval-seconds is 0); passes run when an admin asks.");
        return schedule + last.get().map(pass -> " The last pass here, at " + pass.at() + ": " + pass.summary() + ".")
                .orElse(" No pass has run here since Berth started.");
    }
}
