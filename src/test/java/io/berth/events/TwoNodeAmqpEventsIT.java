package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.AmqpConfig;
import io.berth.config.DatabaseConfig;
import io.berth.config.EventsConfig;
import io.berth.events.AmqpReceiver.Received;
import io.berth.testing.PostgresqlSchema;
import io.berth.testing.TestRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two nodes over one PostgreSQL schema, both dispatching the one outbox to the RabbitMQ at
 * 127.0.0.1:5672: pushes made on either node arrive once each, never once per node.
 */
class TwoNodeAmqpEventsIT {
    private static final int PUSHES_PER_NODE = 6;

    @Test
    void eachEventIsPublishedOnceWhateverNodeMadeTheChange() throws Exception {
        String exchange = "berth-test-" + UUID.randomUUID();
        EventsConfig events = new EventsConfig(new AmqpConfig("amqp://guest:guest@127.0.0.1:5672/%2f", null, exchange),
                List.of(), null, 50L, 100L, 1L, null);
        try (PostgresqlSchema schema = PostgresqlSchema.named("berth_events_");
             AmqpReceiver receiver = new AmqpReceiver(exchange)) {
            DatabaseConfig database = schema.database(4);
            try (TestRegistry first = TestRegistry.start(config -> config.withDatabase(database).withEvents(events));
                 TestRegistry second = TestRegistry.start(config -> config.withDatabase(database).withEvents(events))) {
                List<String> pushed = new ArrayList<>();
                for (int seed = 0; seed < PUSHES_PER_NODE; seed++) {
                    pushed.add(ImagePushes.push(first.http(), "app", "first-" + seed, seed).digest().toString());
                    pushed.add(ImagePushes.push(second.http(), "app", "second-" + seed, 100 + seed).digest().toString());
                }

                List<Received> received = new ArrayList<>(receiver.take(pushed.size(), Duration.ofSeconds(30)));
                received.addAll(receiver.drain(Duration.ofSeconds(2)));

                assertThat(received).extracting(Received::messageId).doesNotHaveDuplicates();
                assertThat(received).extracting(message -> message.body().get("digest").asText())
                        .containsExactlyInAnyOrderElementsOf(pushed);
            }
        }
    }
}
