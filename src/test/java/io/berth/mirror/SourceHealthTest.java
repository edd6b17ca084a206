package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.berth.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One node's circuit breakers over download sources: closed until the configured failures in a row,
 * then open and probed again with a doubling wait up to a cap, closed by the first success; probed
 * only while chosen recently or open.
 */
class SourceHealthTest {
    private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");
    private static final URI NEAR = URI.create("https://near.mirrors.example/berth/");
    private static final URI CDN = URI.create("https://cdn.example/berth/");
    private static final SourceHealth.Settings SETTINGS = new SourceHealth.Settings(Duration.ofSeconds(2), 2, Duration.ofSeconds(2));

    private final MutableClock clock = new MutableClock(START);
    private final SourceHealth health = new SourceHealth(SETTINGS, clock);

    @Test
    void aSourceNoProbeHasJudgedIsReachable() {
        assertThat(health.reachable(NEAR)).isTrue();
        assertThat(health.state(NEAR)).isEqualTo(ProbeState.UNPROBED);
    }

    @Test
    void theBreakerOpensAfterTheConfiguredFailuresInARowAndRecordsSince() {
        health.failed(NEAR, "connection refused");
        assertThat(health.reachable(NEAR)).as("one failure of two").isTrue();
        assertThat(health.state(NEAR).consecutiveFailures()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        health.failed(NEAR, "connection refused");

        ProbeState state = health.state(NEAR);
        assertThat(state.reachable()).isFalse();
        assertThat(state.openSince()).contains(START.plusSeconds(2));
        assertThat(state.lastError()).contains("connection refused");
        assertThat(state.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void aSuccessBetweenFailuresStartsTheCountAgain() {
        health.failed(NEAR, "timeout");
        health.succeeded(NEAR);
        health.failed(NEAR, "timeout");

        assertThat(health.reachable(NEAR)).isTrue();
        assertThat(health.state(NEAR).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void anOpenSourceIsProbedAgainAfterADoublingWaitUpToTheCap() {
        Set<URI> known = Set.of(NEAR);
        health.chosen(NEAR);
        health.failed(NEAR, "refused");
        health.failed(NEAR, "refused");

        Duration expectedWait = SETTINGS.interval();
        for (int round = 0; round < 8; round++) {
            clock.advance(expectedWait.minusMillis(1));
            assertThat(health.due(known)).as("round %d, just before the wait ends", round).isEmpty();
            clock.advance(Duration.ofMillis(1));
            assertThat(health.due(known)).as("round %d", round).containsExactly(NEAR);
            health.failed(NEAR, "refused");
            expectedWait = expectedWait.multipliedBy(2).compareTo(SourceHealth.MAX_BACKOFF) > 0
                    ? SourceHealth.MAX_BACKOFF : expectedWait.multipliedBy(2);
        }
        assertThat(expectedWait).isEqualTo(SourceHealth.MAX_BACKOFF);
        assertThat(health.state(NEAR).openSince()).as("open since the first time").contains(START);
    }

    @Test
    void oneSuccessfulProbeClosesAnOpenSource() {
        health.failed(NEAR, "refused");
        health.failed(NEAR, "refused");
        clock.advance(Duration.ofSeconds(5));

        health.succeeded(NEAR);

        assertThat(health.reachable(NEAR)).isTrue();
        assertThat(health.state(NEAR)).isEqualTo(new ProbeState(true, 0, Optional.empty(),
                Optional.of(START.plusSeconds(5)), Optional.empty()));
    }

    @Test
    void aClosedSourceIsProbedOneIntervalAfterItsLastProbe() {
        health.chosen(NEAR);
        assertThat(health.due(Set.of(NEAR))).as("at once, when first chosen").containsExactly(NEAR);
        health.succeeded(NEAR);

        clock.advance(SETTINGS.interval().minusMillis(1));
        assertThat(health.due(Set.of(NEAR))).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(health.due(Set.of(NEAR))).containsExactly(NEAR);
    }

    @Test
    void onlySourcesChosenRecentlyOrOpenAreProbed() {
        assertThat(health.due(Set.of(NEAR, CDN))).as("no client was sent anywhere").isEmpty();

        health.chosen(CDN);
        assertThat(health.due(Set.of(NEAR, CDN))).containsExactly(CDN);
        health.succeeded(CDN);

        clock.advance(SourceHealth.WATCH_AFTER_CHOICE);
        assertThat(health.due(Set.of(NEAR, CDN))).as("not chosen for the watch period: forgotten").isEmpty();
        assertThat(health.state(CDN)).isEqualTo(ProbeState.UNPROBED);
    }

    @Test
    void anOpenSourceStaysWatchedAlthoughNoClientIsSentThere() {
        health.chosen(NEAR);
        health.failed(NEAR, "refused");
        health.failed(NEAR, "refused");

        clock.advance(SourceHealth.WATCH_AFTER_CHOICE.plusMinutes(1));

        assertThat(health.due(Set.of(NEAR))).containsExactly(NEAR);
        assertThat(health.reachable(NEAR)).isFalse();
    }

    @Test
    void aSourceNoLongerInUseIsForgotten() {
        health.chosen(NEAR);
        health.failed(NEAR, "refused");
        health.failed(NEAR, "refused");

        assertThat(health.due(Set.of(CDN))).isEmpty();

        assertThat(health.reachable(NEAR)).as("stale or removed: the crawler decides again").isTrue();
    }

    @Test
    void theFailoverBoundIsTheFailuresEachWaitingAnIntervalAndATickAndTakingATimeout() {
        assertThat(SETTINGS.tick()).isEqualTo(Duration.ofMillis(250));
        assertThat(SETTINGS.failoverBound()).isEqualTo(Duration.ofMillis(8_500));
        assertThat(new SourceHealth.Settings(Duration.ofMillis(400), 3, Duration.ofSeconds(1)).tick())
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void settingsRefuseNoWaitAndNoFailures() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SourceHealth.Settings(Duration.ZERO, 2, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new SourceHealth.Settings(Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
    }
}
