package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The AMQP broker events are published to ({@code events.amqp}).
 *
 * @param url          {@code amqp://user:password@host:port/vhost} or {@code amqps://…}; never logged
 * @param passwordFile a file holding the password, which replaces any in {@code url}, so that the
 *                     configuration file holds no secret
 * @param exchange     the topic exchange, declared durable (default {@code berth})
 */
public record AmqpConfig(
        @JsonProperty("url") String url,
        @JsonProperty("password-file") String passwordFile,
        @JsonProperty("exchange") String exchange) {

    public static final String DEFAULT_EXCHANGE = "berth";

    public AmqpConfig {
        exchange = exchange == null ? DEFAULT_EXCHANGE : exchange;
        if (url == null || url.isBlank()) {
            throw new ConfigException("events.amqp.url is required");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            // The message would quote the url, password and all.
            throw new ConfigException("events.amqp.url is not a URI");
        }
        if (!"amqp".equals(parsed.getScheme()) && !"amqps".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new ConfigException("events.amqp.url must be amqp://host… or amqps://host…");
        }
        if (exchange.isBlank() || exchange.length() > 255 || !exchange.matches("[A-Za-z0-9._:-]+")) {
            throw new ConfigException("events.amqp.exchange must be 1 to 255 letters, digits, '.', '_', ':' or '-'");
        }
        if (passwordFile != null && passwordFile.isBlank()) {
            throw new ConfigException("events.amqp.password-file must not be blank");
        }
    }

    public URI uri() {
        return URI.create(url);
    }

    public Optional<String> passwordFileValue() {
        return Optional.ofNullable(passwordFile);
    }

    /** No secret: the url's password is left out. */
    @Override
    public String toString() {
        URI parsed = uri();
        return "AmqpConfig[" + parsed.getScheme() + "://" + parsed.getHost() + ":" + parsed.getPort() + ", exchange=" + exchange + "]";
    }
}
