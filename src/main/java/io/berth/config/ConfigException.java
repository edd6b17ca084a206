package io.berth.config;

import java.util.Optional;

/**
 * The configuration is invalid; the message says which key and why. Thrown while a section is read,
 * it may name the {@linkplain #key() key within that section} at fault, so that the file's reader
 * can report the full key path and its line ({@code auth.policy[2].actions}).
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String message) {
        this(message, (Throwable) null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = "";
    }

    private ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** A value under {@code key} of the section being read is wrong; the message says what is wrong with it. */
    public static ConfigException atKey(String key, String message) {
        if (key.isBlank()) {
            throw new IllegalArgumentException("a key is named");
        }
        return new ConfigException(key, message);
    }

    /** The key within the section being read that the message is about, when one was named. */
    public Optional<String> key() {
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
