package io.berth.mirror;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's circuit breakers over the download sources (mirrors and the CDN, each named by its
 * base URL), fed by {@link SourceWatch}'s probes and read by {@link DownloadSources} on every blob
 * download. Reading is a map lookup: no I/O, no lock, nothing written to a database.
 *
 * <p>A source is <em>closed</em> (clients may go there) until {@link Settings#failuresToOpen} probes
 * in a row fail; it is then <em>open</em> (skipped by selection) and probed again after
 * {@link Settings#interval}, then after twice as long each time it still fails, up to
 * {@link #MAX_BACKOFF} (or the interval, when that is longer). The first successful probe closes it. A source is probed only while it is
 * {@linkplain #watched watched}: chosen for a client within {@link #WATCH_AFTER_CHOICE}, or open.
 */
public final class SourceHealth {
    /** How long after its last choice a source is still probed: sources no client of this node uses cost nothing. */
    public static final Duration WATCH_AFTER_CHOICE = Duration.ofMinutes(10);
    /** The longest wait between probes of an open source: a recovered source gets clients again within this. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Choices of one source are recorded at most this often, so that busy pulls hardly write at all. */
    private static final Duration CHOICE_RESOLUTION = Duration.ofSeconds(1);

    /**
     * How the breakers probe and decide.
     *
     * @param interval       time between the end of one probe of a source and the start of the next
     * @param failuresToOpen failed probes in a row that open the breaker
     * @param timeout        the longest one probe may take before it counts as failed
     */
    public record Settings(Duration interval, int failuresToOpen, Duration timeout) {
        public Settings {
            if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the probe interval and timeout must be positive");
            }
            if (failuresToOpen < 1) {
                throw new IllegalArgumentException("a breaker opens after at least one failure");
            }
        }

        /** How often {@link SourceWatch} looks for probes that are due: a quarter interval, at most 250 ms. */
        public Duration tick() {
            Duration quarter = interval.dividedBy(4);
            return quarter.compareTo(Duration.ofMillis(250)) < 0 ? quarter : Duration.ofMillis(250);
        }

        /**
         * The longest a dead source that clients are being sent to keeps getting them: the failures
         * it takes to open, each waiting at most one interval and one tick, and taking at most one timeout.
         */
        public Duration failoverBound() {
            return interval.plus(timeout).plus(tick()).multipliedBy(failuresToOpen);
        }
    }

    /** One source's breaker: what is shown, when it is probed next, and how long an open one waits. */
    private record Breaker(ProbeState state, Instant nextProbeAt, Duration backoff) {
    }

    private final Settings settings;
    private final Clock clock;
    private final ConcurrentHashMap<URI, Breaker> breakers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<URI, Instant> lastChosen = new ConcurrentHashMap<>();

    public SourceHealth(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Breakers that no probe feeds: every source stays reachable (for {@code berth mirror crawl}, which sends no client). */
    public static SourceHealth unprobed() {
        return new SourceHealth(new Settings(Duration.ofSeconds(1), 1, Duration.ofSeconds(1)), Clock.systemUTC());
    }

    public Settings settings() {
        return settings;
    }

    /** Whether clients may be sent to {@code source} now; true for a source no probe has judged. */
    public boolean reachable(URI source) {
        Breaker breaker = breakers.get(source);
        return breaker == null || breaker.state().reachable();
    }

    public ProbeState state(URI source) {
        Breaker breaker = breakers.get(source);
        return breaker == null ? ProbeState.UNPROBED : breaker.state();
    }

    /** Notes that a client was sent to {@code source}, which keeps it watched. */
    public void chosen(URI source) {
        Instant now = clock.instant();
        Instant previous = lastChosen.get(source);
        if (previous == null || !previous.plus(CHOICE_RESOLUTION).isAfter(now)) {
            lastChosen.put(source, now);
        }
    }

    /**
     * The watched sources among {@code known} whose next probe is due now. Sources no longer known,
     * and closed ones not chosen within {@link #WATCH_AFTER_CHOICE}, are forgotten.
     *
     * @param known the sources clients may be sent to: usable mirrors and the CDN
     */
    public List<URI> due(Set<URI> known) {
        Instant now = clock.instant();
        breakers.keySet().removeIf(source -> !known.contains(source));
        lastChosen.keySet().removeIf(source -> !known.contains(source));
        List<URI> due = new ArrayList<>();
        for (URI source : known) {
            Breaker breaker = breakers.get(source);
            boolean open = breaker != null && !breaker.state().reachable();
            if (!open && !watched(source, now)) {
                breakers.remove(source);
                continue;
            }
            if (breaker == null || !breaker.nextProbeAt().isAfter(now)) {
                due.add(source);
            }
        }
        return due;
    }

    /** Records a successful probe: the source is closed (reachable). */
    public void succeeded(URI source) {
        Instant now = clock.instant();
        breakers.put(source, new Breaker(new ProbeState(true, 0, Optional.empty(), Optional.of(now), Optional.empty()),
                now.plus(settings.interval()), settings.interval()));
    }

    /** Records a failed probe: the source opens at the configured count, and an open one waits longer each time. */
    public void failed(URI source, String error) {
        Instant now = clock.instant();
        breakers.compute(source, (key, previous) -> {
            ProbeState before = previous == null ? ProbeState.UNPROBED : previous.state();
            int failures = before.consecutiveFailures() + 1;
            if (before.reachable() && failures < settings.failuresToOpen()) {
                return new Breaker(new ProbeState(true, failures, Optional.empty(), Optional.of(now), Optional.of(error)),
                        now.plus(settings.interval()), settings.interval());
            }
            Duration backoff = before.reachable() ? settings.interval() : doubled(previous.backoff());
            Instant openSince = before.openSince().orElse(now);
            return new Breaker(new ProbeState(false, failures, Optional.of(openSince), Optional.of(now), Optional.of(error)),
                    now.plus(backoff), backoff);
        });
    }

    private boolean watched(URI source, Instant now) {
        Instant chosenAt = lastChosen.get(source);
        return chosenAt != null && chosenAt.plus(WATCH_AFTER_CHOICE).isAfter(now);
    }

    private Duration doubled(Duration backoff) {
        Duration next = backoff.multipliedBy(2);
        Duration cap = MAX_BACKOFF.compareTo(settings.interval()) > 0 ? MAX_BACKOFF : settings.interval();
        return next.compareTo(cap) > 0 ? cap : next;
    }
}
