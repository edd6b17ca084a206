package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@link BerthConfig} from YAML with dash-case keys; typos and bad values are refused, never ignored. */
class ConfigLoaderTest {
    @TempDir
    Path directory;

    @Test
    void readsEveryDashCaseKey() throws IOException {
        Path file = write("""
                listen: "[::1]:6000"
                data-dir: /var/lib/berth
                access-log: false
                shutdown-grace-seconds: 5
                """);

        BerthConfig config = ConfigLoader.load(file);

        assertThat(config).isEqualTo(new BerthConfig("[::1]:6000", "/var/lib/berth", false, 5));
        assertThat(config.listenAddress()).isEqualTo(new ListenAddress("::1", 6000));
    }

    @Test
    void readsUploadExpiryAndRefusesANegativePeriod() throws IOException {
        BerthConfig config = ConfigLoader.load(write("""
                uploads:
                  expire-after-seconds: 7200
                  sweep-interval-seconds: 300
                """));

        assertThat(config.uploads().expireAfter()).contains(java.time.Duration.ofHours(2));
        assertThat(config.uploads().sweepInterval()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(BerthConfig.defaults().uploads().expireAfter()).contains(java.time.Duration.ofDays(1));
        assertThat(ConfigLoader.load(write("uploads: {expire-after-seconds: 0}\n")).uploads().expireAfter())
                .as("0 keeps sessions").isEmpty();
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("uploads: {expire-after-seconds: -1}\n")))
                .withMessageContaining("uploads.expire-after-seconds");
    }

    @Test
    void readsTheRequestLimits() throws IOException {
        BerthConfig config = ConfigLoader.load(write("""
                requests:
                  idle-timeout-seconds: 20
                  minimum-body-bytes-per-second: 1000
                  minimum-body-rate-grace-seconds: 3
                  body-buffer-bytes: 16777216
                  body-wait-milliseconds: 500
                """));

        assertThat(config.requests()).isEqualTo(new io.berth.config.RequestsConfig(20, 1000, 3, 16_777_216L, 500));
    }

    @Test
    void readsTheLogFormatAndRefusesAnUnknownOne() throws IOException {
        assertThat(ConfigLoader.load(write("log: {format: json}\n")).log()).isEqualTo(new LogConfig("json"));
        assertThat(ConfigLoader.load(write("log: {format: json}\n")).log().json()).isTrue();
        assertThat(ConfigLoader.load(write("log: {}\n")).log().json()).isFalse();
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("log: {format: xml}\n")))
                .withMessageContaining("log.format");
    }

    @Test
    void missingKeysTakeTheirDefaults() throws IOException {
        BerthConfig config = ConfigLoader.load(write("data-dir: /srv/berth\n"));

        assertThat(config).isEqualTo(BerthConfig.defaults().withDataDir("/srv/berth"));
    }

    @Test
    void emptyFileMeansAllDefaults() throws IOException {
        assertThat(ConfigLoader.load(write(""))).isEqualTo(BerthConfig.defaults());
    }

    @Test
    void fileOfOnlyCommentsMeansAllDefaults() throws IOException {
        assertThat(ConfigLoader.load(write("# every key is optional\n# listen: 0.0.0.0:5000\n")))
                .isEqualTo(BerthConfig.defaults());
    }

    @Test
    void refusesAnUnknownKeyNamingIt() throws IOException {
        Path file = write("""
                listen: 127.0.0.1:5000
                data-directory: /var/lib/berth
                """);

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(file))
                .withMessageContaining("unknown key 'data-directory'")
                .withMessageContaining(file.toString());
    }

    @Test
    void refusesTheCamelCaseSpellingOfAKey() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("dataDir: /var/lib/berth\n")))
                .withMessageContaining("unknown key 'dataDir'");
    }

    @Test
    void refusesAnInvalidListenAddress() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("listen: localhost\n")))
                .withMessageContaining("HOST:PORT");
    }

    @Test
    void refusesAListenPortOutOfRange() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("listen: 127.0.0.1:70000\n")))
                .withMessageContaining("65535");
    }

    @Test
    void refusesAValueOfTheWrongType() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("shutdown-grace-seconds: soon\n")));
    }

    @Test
    void refusesANegativeShutdownGrace() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("shutdown-grace-seconds: -1\n")))
                .withMessageContaining("shutdown-grace-seconds");
    }

    @Test
    void refusesMalformedYaml() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("listen: [unclosed\n")));
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path missing = directory.resolve("missing.yaml");

        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(missing))
                .withMessageContaining(missing.toString());
    }

    @Test
    void readsTheTlsSection() throws IOException {
        BerthConfig config = ConfigLoader.load(write("""
                tls:
                  certificate: /etc/berth/fullchain.pem
                  key: /etc/berth/privkey.pem
                  reload-seconds: 30
                """));

        assertThat(config.tlsSettings()).hasValue(new TlsConfig("/etc/berth/fullchain.pem", "/etc/berth/privkey.pem", 30));
    }

    @Test
    void tlsReloadSecondsDefaultsToTen() throws IOException {
        BerthConfig config = ConfigLoader.load(write("""
                tls:
                  certificate: cert.pem
                  key: key.pem
                """));

        assertThat(config.tlsSettings()).map(TlsConfig::reloadSeconds).hasValue(TlsConfig.DEFAULT_RELOAD_SECONDS);
        assertThat(TlsConfig.DEFAULT_RELOAD_SECONDS).isEqualTo(10);
        assertThat(BerthConfig.defaults().tlsSettings()).as("plain HTTP unless tls is configured").isEmpty();
    }

    @Test
    void refusesTlsWithoutAKey() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("tls:\n  certificate: cert.pem\n")))
                .withMessageContaining("tls needs both certificate and key");
    }

    @Test
    void refusesAnUnknownTlsKeyNamingIt() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("tls:\n  certificate: c.pem\n  key: k.pem\n  reload-secs: 5\n")))
                .withMessageContaining("unknown key 'reload-secs'");
    }

    @Test
    void refusesATlsReloadIntervalBelowOneSecond() throws IOException {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(write("tls:\n  certificate: c.pem\n  key: k.pem\n  reload-seconds: 0\n")))
                .withMessageContaining("tls.reload-seconds");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(directory.resolve("berth.yaml"), yaml);
    }
}
