package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

/** Every configuration key's default, pinned one by one, and the checks the record makes itself. */
class BerthConfigTest {

    @Test
    void listenDefaultsToLoopbackPort5000() {
        assertThat(BerthConfig.defaults().listen()).isEqualTo("127.0.0.1:5000");
        assertThat(BerthConfig.defaults().listenAddress()).isEqualTo(new ListenAddress("127.0.0.1", 5000));
    }

    @Test
    void dataDirDefaultsToBerthDataInTheWorkingDirectory() {
        assertThat(BerthConfig.defaults().dataDir()).isEqualTo("./berth-data");
    }

    @Test
    void accessLogDefaultsToOn() {
        assertThat(BerthConfig.defaults().accessLog()).isTrue();
    }

    @Test
    void logFormatDefaultsToText() {
        assertThat(BerthConfig.defaults().log().format()).isEqualTo(LogConfig.TEXT);
        assertThat(BerthConfig.defaults().log().json()).isFalse();
    }

    @Test
    void shutdownGraceSecondsDefaultsToThirty() {
        assertThat(BerthConfig.defaults().shutdownGraceSeconds()).isEqualTo(30);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        assertThat(BerthConfig.defaults()).isEqualTo(new BerthConfig(
                BerthConfig.DEFAULT_LISTEN, BerthConfig.DEFAULT_DATA_DIR, true, BerthConfig.DEFAULT_SHUTDOWN_GRACE_SECONDS));
    }

    @Test
    void absentKeysTakeTheirDefaultsOneByOne() {
        BerthConfig onlyListen = new BerthConfig("0.0.0.0:6000", null, null, null);

        assertThat(onlyListen.listen()).isEqualTo("0.0.0.0:6000");
        assertThat(onlyListen.dataDir()).isEqualTo(BerthConfig.DEFAULT_DATA_DIR);
        assertThat(onlyListen.accessLog()).isTrue();
        assertThat(onlyListen.shutdownGraceSeconds()).isEqualTo(BerthConfig.DEFAULT_SHUTDOWN_GRACE_SECONDS);
    }

    @Test
    void withListenAndWithDataDirReplaceOnlyTheirKey() {
        BerthConfig base = new BerthConfig("127.0.0.1:1", "/data", false, 7);

        assertThat(base.withListen("[::1]:2")).isEqualTo(new BerthConfig("[::1]:2", "/data", false, 7));
        assertThat(base.withDataDir("/other")).isEqualTo(new BerthConfig("127.0.0.1:1", "/other", false, 7));
    }

    @Test
    void zeroShutdownGraceIsAllowed() {
        assertThat(new BerthConfig(null, null, null, 0).shutdownGraceSeconds()).isZero();
    }

    @Test
    void refusesANegativeShutdownGrace() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new BerthConfig(null, null, null, -1))
                .withMessageContaining("shutdown-grace-seconds");
    }

    @Test
    void refusesAServiceOrRealmThatCouldBreakOutOfTheChallengesQuotes() {
        for (String bad : java.util.List.of("berth\",scope=\"x", "berth\\", "berth\r\nX-Injected: yes")) {
            assertThatExceptionOfType(ConfigException.class).as(bad).isThrownBy(() -> new AuthConfig(bad, null, null, null,
                    null, null, null, null, null)).withMessageContaining("auth.service");
            assertThatExceptionOfType(ConfigException.class).as(bad).isThrownBy(() -> new AuthConfig(null, null,
                    "https://" + bad, null, null, null, null, null, null)).withMessageContaining("auth.realm");
        }
    }

    @Test
    void refusesAnInvalidListenAddressUpFront() {
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> BerthConfig.defaults().withListen("5000"));
    }
}
