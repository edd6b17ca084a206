package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The request limits: every default pinned, the budget derived from the heap, and the checks. */
class RequestsConfigTest {

    @Test
    void aStalledConnectionIsClosedAfterSixtySecondsByDefault() {
        assertThat(RequestsConfig.defaults().idleTimeoutSeconds()).isEqualTo(60);
        assertThat(RequestsConfig.defaults().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aBodyMustAverage240BytesPerSecondAfterAFiveSecondGraceByDefault() {
        assertThat(RequestsConfig.defaults().minimumBodyBytesPerSecond()).isEqualTo(240);
        assertThat(RequestsConfig.defaults().minimumBodyRateGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRequestWaitsOneSecondForRoomByDefault() {
        assertThat(RequestsConfig.defaults().bodyWait()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theBodyBudgetIsAQuarterOfTheHeapByDefault() {
        assertThat(RequestsConfig.defaults().bodyBufferBytes()).isNull();
        assertThat(RequestsConfig.defaults().bodyBufferBytes(96L * 1024 * 1024)).isEqualTo(24L * 1024 * 1024);
        assertThat(RequestsConfig.defaults().bodyBufferBytes(128 * 1024)).as("never below the minimum")
                .isEqualTo(RequestsConfig.MINIMUM_BODY_BUFFER_BYTES);
    }

    @Test
    void aConfiguredBodyBudgetWinsOverTheHeap() {
        RequestsConfig configured = new RequestsConfig(null, null, null, 8L * 1024 * 1024, null);
        assertThat(configured.bodyBufferBytes(96L * 1024 * 1024)).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void theRateCheckCanBeTurnedOff() {
        assertThat(new RequestsConfig(null, 0, null, null, null).minimumBodyBytesPerSecond()).isZero();
    }

    @Test
    void berthConfigHoldsTheDefaultsWhenTheSectionIsAbsent() {
        assertThat(BerthConfig.defaults().requests()).isEqualTo(RequestsConfig.defaults());
    }

    @Test
    void refusesLimitsThatWouldDisableOrBreakTheServer() {
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new RequestsConfig(0, null, null, null, null))
                .withMessageContaining("requests.idle-timeout-seconds");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new RequestsConfig(null, -1, null, null, null))
                .withMessageContaining("requests.minimum-body-bytes-per-second");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new RequestsConfig(null, null, 0, null, null))
                .withMessageContaining("requests.minimum-body-rate-grace-seconds");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new RequestsConfig(null, null, null, 1024L, null))
                .withMessageContaining("requests.body-buffer-bytes");
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new RequestsConfig(null, null, null, null, -1))
                .withMessageContaining("requests.body-wait-milliseconds");
    }
}
