package io.berth.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A temporary queue on the test broker (127.0.0.1:5672, guest/guest), bound to every {@code berth.}
 * routing key of one exchange, collecting what arrives. Closing it deletes the exchange.
 */
final class AmqpReceiver implements AutoCloseable {
    static final String BROKER_HOST = "127.0.0.1";
    static final int BROKER_PORT = 5672;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as it arrived. */
    record Received(String routingKey, String messageId, int deliveryMode, Map<String, Object> headers, JsonNode body) {
        String header(String name) {
            Object value = headers.get(name);
            return value == null ? null : value.toString();
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final String exchange;
    private final BlockingQueue<Received> arrived = new LinkedBlockingQueue<>();

    AmqpReceiver(String exchange) throws Exception {
        this.exchange = exchange;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(BROKER_HOST);
        factory.setPort(BROKER_PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        connection = factory.newConnection("berth-test-receiver");
        channel = connection.createChannel();
        channel.exchangeDeclare(exchange, "topic", true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, EventType.ROUTING_KEY_PREFIX + "#");
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                arrived.add(new Received(envelope.getRoutingKey(), properties.getMessageId(),
                        properties.getDeliveryMode() == null ? 0 : properties.getDeliveryMode(),
                        properties.getHeaders() == null ? Map.of() : Map.copyOf(properties.getHeaders()), JSON.readTree(body)));
            }
        });
    }

    /** Waits until {@code count} more messages have arrived, or fails after {@code limit}. */
    List<Received> take(int count, Duration limit) throws InterruptedException {
        List<Received> taken = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (taken.size() < count) {
            Received next = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("only " + taken.size() + " of " + count + " messages arrived within " + limit
                        + ": " + taken);
            }
            taken.add(next);
        }
        return taken;
    }

    /** Everything that arrives within {@code quiet}. */
    List<Received> drain(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet);
        List<Received> rest = new ArrayList<>();
        arrived.drainTo(rest);
        return rest;
    }

    @Override
    public void close() throws Exception {
        try {
            channel.exchangeDelete(exchange);
        } finally {
            connection.close();
        }
    }
}
