package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code events} section: its defaults, and refusals that name the key and never quote a secret. */
class EventsConfigTest {

    @Test
    void defaultsAreTheDocumentedConstantsAndRecordNothing() {
        EventsConfig events = EventsConfig.defaults();

        assertThat(events.enabled()).isFalse();
        assertThat(events.retention()).isEqualTo(Duration.ofHours(168));
        assertThat(events.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(events.retryInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(events.retryMaximum()).isEqualTo(Duration.ofMinutes(5));
        assertThat(events.cloudEventsSource()).isEqualTo("/berth");
        assertThat(new AmqpConfig("amqp://127.0.0.1", null, null).exchange()).isEqualTo("berth");
        assertThat(new WebhookConfig("https://hooks.example.org/", "/secret", null, null).timeout())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anAmqpUrlMustBeAmqpAndIsNeverQuoted() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new AmqpConfig("http://user:s3cret@broker", null, null))
                .withMessageContaining("events.amqp.url")
                .withMessageNotContaining("s3cret");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new AmqpConfig("amqp://user:s3cret@broker/ bad", null, null))
                .withMessageContaining("events.amqp.url")
                .withMessageNotContaining("s3cret");
        assertThat(new AmqpConfig("amqp://user:s3cret@broker:5672/%2f", null, null).toString()).doesNotContain("s3cret");
    }

    @Test
    void anExchangeNameIsChecked() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new AmqpConfig("amqp://broker", null, "no spaces"))
                .withMessageContaining("events.amqp.exchange");
    }

    @Test
    void aWebhookNeedsASecretFileAndKnownTypes() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new WebhookConfig("https://hooks.example.org/", null, null, null))
                .withMessageContaining("events.webhooks[].secret-file");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new WebhookConfig("https://hooks.example.org/", "/secret", List.of("pushes"), null))
                .withMessageContaining("events.webhooks[].types").withMessageContaining("pushes");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new WebhookConfig("ftp://hooks.example.org/", "/secret", null, null))
                .withMessageContaining("events.webhooks[].url");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new WebhookConfig("https://user:pw@hooks.example.org/", "/secret", null, null))
                .withMessageContaining("events.webhooks[].url");
    }

    @Test
    void limitsAreChecked() {
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new EventsConfig(null, null, 0L, null, null, null, null))
                .withMessageContaining("events.retention-hours");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new EventsConfig(null, null, null, 1L, null, null, null))
                .withMessageContaining("events.poll-interval-ms");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new EventsConfig(null, null, null, null, 5000L, 1L, null))
                .withMessageContaining("events.retry-maximum-seconds");
        WebhookConfig hook = new WebhookConfig("https://hooks.example.org/", "/secret", null, null);
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> new EventsConfig(null, List.of(hook, hook), null, null, null, null, null))
                .withMessageContaining("events.webhooks");
    }
}
