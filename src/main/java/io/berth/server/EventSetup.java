package io.berth.server;

import io.berth.audit.AuditTrail;
import io.berth.audit.AuditedEvents;
import io.berth.config.AmqpConfig;
import io.berth.config.ConfigException;
import io.berth.config.EventsConfig;
import io.berth.config.WebhookConfig;
import io.berth.events.AmqpDestination;
import io.berth.events.EventDestination;
import io.berth.events.EventRecorder;
import io.berth.events.OutboxDispatcher;
import io.berth.events.OutboxRecorder;
import io.berth.events.RetryBackoff;
import io.berth.events.WebhookDestination;
import io.berth.metadata.MetadataStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns {@code events} into the recorder the operations write through and the dispatcher that
 * delivers the outbox. Secrets are read from their files here and never logged.
 */
final class EventSetup {
    private EventSetup() {
    }

    /** Records events when some destination is configured; records nothing otherwise. */
    static EventRecorder recorder(EventsConfig events, Clock clock) {
        return events.enabled() ? new OutboxRecorder(clock) : EventRecorder.NONE;
    }

    /**
     * The recorder the operations write through: every change is audited in its transaction
     * ({@link AuditedEvents}), and recorded as an event when some destination is configured.
     */
    static EventRecorder auditedRecorder(EventsConfig events, Clock clock) {
        return new AuditedEvents(new AuditTrail(clock), recorder(events, clock));
    }

    /** The started dispatcher, when some destination is configured. */
    static Optional<OutboxDispatcher> startDispatcher(EventsConfig events, MetadataStore metadata, Clock clock) {
        if (!events.enabled()) {
            return Optional.empty();
        }
        OutboxDispatcher dispatcher = new OutboxDispatcher(metadata, destinations(events, clock),
                new RetryBackoff(events.retryInitial(), events.retryMaximum()), events.retention(), clock);
        dispatcher.start(events.pollInterval());
        return Optional.of(dispatcher);
    }

    static List<EventDestination> destinations(EventsConfig events, Clock clock) {
        List<EventDestination> destinations = new ArrayList<>();
        events.amqpDestination().ifPresent(amqp -> destinations.add(
                new AmqpDestination(amqpUri(amqp), amqp.exchange(), clock)));
        for (WebhookConfig webhook : events.webhooks()) {
            destinations.add(new WebhookDestination(webhook.uri(), secret(webhook.secretFile(), "events.webhooks[].secret-file"),
                    new HashSet<>(webhook.types()), events.cloudEventsSource(), webhook.timeout()));
        }
        return destinations;
    }

    /** The url, with the password from {@code password-file} when one is configured. */
    private static URI amqpUri(AmqpConfig amqp) {
        URI url = amqp.uri();
        if (amqp.passwordFileValue().isEmpty()) {
            return url;
        }
        String password = new String(secret(amqp.passwordFileValue().get(), "events.amqp.password-file"), StandardCharsets.UTF_8);
        String user = url.getUserInfo() == null ? "guest" : url.getUserInfo().split(":", 2)[0];
        try {
            return new URI(url.getScheme(), user + ":" + password, url.getHost(), url.getPort(), url.getPath(),
                    url.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new ConfigException("events.amqp.url cannot take the password of events.amqp.password-file");
        }
    }

    private static byte[] secret(String file, String key) {
        try {
            String secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new ConfigException(key + ": " + file + " is empty");
            }
            return secret.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
