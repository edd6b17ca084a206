package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How Berth writes its access log ({@code docs/operations.md}, "Logs").
 *
 * @param format {@value #TEXT} (the default): one line of eight space-separated fields per request;
 *               {@value #JSON}: one JSON object per line, with the request's id
 */
public record LogConfig(@JsonProperty("format") String format) {
    public static final String TEXT = "text";
    public static final String JSON = "json";

    public LogConfig {
        format = format == null ? TEXT : format.trim().toLowerCase(Locale.ROOT);
        if (!format.equals(TEXT) && !format.equals(JSON)) {
            throw new ConfigException("log.format must be " + TEXT + " or " + JSON);
        }
    }

    public static LogConfig defaults() {
        return new LogConfig(null);
    }

    /** Whether access-log records are JSON objects rather than text lines. */
    public boolean json() {
        return format.equals(JSON);
    }
}
