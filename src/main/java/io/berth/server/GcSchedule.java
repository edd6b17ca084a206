package io.berth.server;

import io.berth.gc.GarbageCollector;
import io.berth.gc.GcReport;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs garbage-collection passes in the background every interval, the first one a random part of
 * an interval after start so that nodes started together do not run in step. Passes of many nodes
 * may overlap; they share the work.
 */
final class GcSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GcSchedule.class);

    private final GarbageCollector collector;
    private final Consumer<GcReport> reports;
    private final ScheduledExecutorService schedule = BackgroundThreads.scheduler("berth-gc");

    private GcSchedule(GarbageCollector collector, Consumer<GcReport> reports) {
        this.collector = collector;
        this.reports = reports;
    }

    /** Starts the passes; {@code reports} is told what each pass did. */
    static GcSchedule start(GarbageCollector collector, Duration interval, Consumer<GcReport> reports) {
        GcSchedule gc = new GcSchedule(collector, reports);
        long every = interval.toMillis();
        long first = ThreadLocalRandom.current().nextLong(Math.max(1, every));
        gc.schedule.scheduleWithFixedDelay(gc::passQuietly, first, every, TimeUnit.MILLISECONDS);
        return gc;
    }

    private void passQuietly() {
        try {
            GcReport report = collector.runPass();
            LOG.debug(report.summary());
            reports.accept(report);
        } catch (RuntimeException e) {
            LOG.error("a garbage-collection pass failed; the next one starts over", e);
        }
    }

    @Override
    public void close() {
        BackgroundThreads.stop(schedule);
    }
}
