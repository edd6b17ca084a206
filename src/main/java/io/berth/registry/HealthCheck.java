package io.berth.registry;

import io.berth.metadata.MetadataStore;
import io.berth.storage.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can serve: its metadata database answers a query and its blob store can take
 * a write ({@link BlobStore#probe()}: on the filesystem, a small file written and synced). A load
 * balancer asks this to stop sending requests to a node that cannot serve them.
 *
 * <p>Contract: {@link #check()} returns within {@link #DEADLINE} whatever the parts do. A part that
 * has not answered by then counts as failing: a database that refuses connections, one that
 * accepts them and never answers, and a pool with no free connection all look the same to a
 * client, which would wait. Each part runs at most one probe at a time, on a thread of its own; a
 * check that comes while a probe is running waits for that probe instead of starting another, so a
 * stuck database costs one thread, however often the balancer asks. An answer is reused for
 * {@link #REUSE} after it arrived, so that a flood of health requests costs at most one query and
 * one synced write per part per interval.
 *
 * <p>A failure is logged when a part becomes unhealthy, and its recovery when it is healthy again,
 * not on every check.
 */
public final class HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    /** How long a check waits for the parts' answers before it calls the late ones failing. */
    public static final Duration DEADLINE = Duration.ofSeconds(1);
    /** How long an answer stands before the next check probes again. */
    public static final Duration REUSE = Duration.ofSeconds(1);

    /** The state of each part; the reasons for failures stay in the log. */
    public record Report(boolean metadata, boolean storage) {
        public boolean healthy() {
            return metadata && storage;
        }
    }

    /** One check of a part: returns when the part works, throws with the reason when it does not. */
    @FunctionalInterface
    interface Probe {
        void run() throws Exception;
    }

    private final Part metadata;
    private final Part storage;
    private final Duration deadline;

    public HealthCheck(MetadataStore metadata, BlobStore blobs, Clock clock) {
        this(() -> metadata.read(session -> session.listRepositories(Optional.empty(), 1)), blobs::probe, clock,
                DEADLINE, REUSE);
    }

    HealthCheck(Probe metadata, Probe storage, Clock clock, Duration deadline, Duration reuse) {
        this.metadata = new Part("metadata database", metadata, clock, reuse);
        this.storage = new Part("blob store", storage, clock, reuse);
        this.deadline = deadline;
    }

    /** Asks both parts at once; returns within the deadline. */
    public Report check() {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        CompletableFuture<Boolean> metadataAnswer = metadata.answer();
        CompletableFuture<Boolean> storageAnswer = storage.answer();
        return new Report(metadata.await(metadataAnswer, deadlineNanos, deadline),
                storage.await(storageAnswer, deadlineNanos, deadline));
    }

    /** One part's probe, its answer in flight or at hand, and whether it was healthy when last seen. */
    private static final class Part {
        private final String name;
        private final Probe probe;
        private final Clock clock;
        private final Duration reuse;
        private final AtomicBoolean wasHealthy = new AtomicBoolean(true);
        private CompletableFuture<Boolean> answer;
        private Instant answeredAt = Instant.MIN;

        Part(String name, Probe probe, Clock clock, Duration reuse) {
            this.name = name;
            this.probe = probe;
            this.clock = clock;
            this.reuse = reuse;
        }

        /** The answer of the running probe, or of the last one while it stands, or of a new probe. */
        synchronized CompletableFuture<Boolean> answer() {
            if (answer != null && (!answer.isDone() || clock.instant().isBefore(answeredAt.plus(reuse)))) {
                return answer;
            }
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            answer = started;
            Thread.ofVirtual().name("berth-health-" + name.replace(' ', '-')).start(() -> {
                boolean healthy = runProbe();
                synchronized (this) {
                    answeredAt = clock.instant();
                }
                started.complete(healthy);
            });
            return started;
        }

        private boolean runProbe() {
            try {
                probe.run();
                return recovered();
            } catch (Exception | Error e) {
                return failed(e.toString());
            }
        }

        boolean await(CompletableFuture<Boolean> pending, long deadlineNanos, Duration deadline) {
            try {
                return pending.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return failed("no answer within " + deadline.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                return failed(e.getCause().toString());
            }
        }

        private boolean recovered() {
            if (!wasHealthy.getAndSet(true)) {
                LOG.info("health: the {} answers again", name);
            }
            return true;
        }

        private boolean failed(String reason) {
            if (wasHealthy.getAndSet(false)) {
                LOG.warn("health: the {} does not answer: {}", name, reason);
            }
            return false;
        }
    }
}
