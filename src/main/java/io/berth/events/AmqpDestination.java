package io.berth.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.berth.metadata.OutboxEvent;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to a durable topic exchange ({@link FedoraMessage}): persistent messages, each
 * confirmed by the broker before it counts as delivered. The connection is opened on the first
 * delivery and after any failure, only ever on the dispatcher's thread, so a broker that is down
 * delays events and never a registry request; the dispatcher's backoff paces the reconnects.
 */
public final class AmqpDestination implements EventDestination {
    /** How long connecting, and waiting for one confirm, may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final String exchange;
    private final Clock clock;
    private Connection connection;
    private Channel channel;

    /** @param url {@code amqp://user:password@host:port/vhost} (or {@code amqps://}); it is never logged */
    public AmqpDestination(URI url, String exchange, Clock clock) {
        this.url = url;
        this.exchange = exchange;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "amqp:" + exchange;
    }

    @Override
    public boolean accepts(EventType type) {
        return true;
    }

    @Override
    public synchronized void deliver(OutboxEvent event) {
        FedoraMessage message = FedoraMessage.of(event, clock.instant());
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(message.messageId())
                .timestamp(Date.from(event.occurredAt()))
                .headers(message.headers())
                .build();
        try {
            Channel open = channel();
            open.basicPublish(exchange, message.routingKey(), false, properties, message.body());
            open.waitForConfirmsOrDie(TIMEOUT.toMillis());
        } catch (IOException | TimeoutException | RuntimeException e) {
            disconnect();
            throw new DeliveryFailed("not confirmed by the AMQP broker: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect();
            throw new DeliveryFailed("interrupted while waiting for the AMQP broker's confirm", e);
        }
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        disconnect();
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(url);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("the AMQP url is not usable", e);
        }
        factory.setConnectionTimeout((int) TIMEOUT.toMillis());
        factory.setHandshakeTimeout((int) TIMEOUT.toMillis());
        factory.setAutomaticRecoveryEnabled(false);
        connection = factory.newConnection("berth-events");
        channel = connection.createChannel();
        channel.confirmSelect();
        channel.exchangeDeclare(exchange, "topic", true);
        return channel;
    }

    private void disconnect() {
        Connection closing = connection;
        connection = null;
        channel = null;
        if (closing != null) {
            try {
                closing.abort((int) TIMEOUT.toMillis());
            } catch (RuntimeException e) {
                // Already gone; nothing more to release.
            }
        }
    }

    /** The exception's class and message: the client's messages name host and port, never the url's password. */
    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    @Override
    public synchronized void close() {
        disconnect();
    }
}
