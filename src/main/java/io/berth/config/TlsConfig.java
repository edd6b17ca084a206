package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * HTTPS settings: PEM files, re-read without a restart when they change.
 *
 * @param certificate   PEM certificate chain, leaf first
 * @param key           PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC)
 * @param reloadSeconds how often to look for changed files
 */
public record TlsConfig(
        @JsonProperty("certificate") String certificate,
        @JsonProperty("key") String key,
        @JsonProperty("reload-seconds") Integer reloadSeconds) {

    public static final int DEFAULT_RELOAD_SECONDS = 10;

    public TlsConfig {
        if (certificate == null || certificate.isBlank() || key == null || key.isBlank()) {
            throw new ConfigException("tls needs both certificate and key");
        }
        reloadSeconds = reloadSeconds == null ? DEFAULT_RELOAD_SECONDS : reloadSeconds;
        if (reloadSeconds < 1) {
            throw new ConfigException("tls.reload-seconds must be at least 1");
        }
    }
}
