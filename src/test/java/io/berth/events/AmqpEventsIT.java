package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.AmqpConfig;
import io.berth.config.EventsConfig;
import io.berth.config.PromotionConfig;
import io.berth.events.AmqpReceiver.Received;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TcpRelay;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events reach the RabbitMQ at 127.0.0.1:5672 through the registry's API: every push, tag move,
 * delete and promotion arrives on its routing key, persistent, with fedora-messaging headers and the
 * event as body; while the broker is unreachable (a relay in between is cut) pushes still succeed,
 * and their events arrive once it is back, never twice under different ids.
 */
class AmqpEventsIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String exchange = "berth-test-" + UUID.randomUUID();
    private TcpRelay relay;
    private AmqpReceiver receiver;
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws Exception {
        relay = TcpRelay.to(AmqpReceiver.BROKER_HOST, AmqpReceiver.BROKER_PORT);
        receiver = new AmqpReceiver(exchange);
        EventsConfig events = new EventsConfig(
                new AmqpConfig("amqp://guest:guest@127.0.0.1:" + relay.port() + "/%2f", null, exchange),
                List.of(), null, 100L, 100L, 1L, null);
        registry = TestRegistry.start(config -> config
                .withPromotion(new PromotionConfig(List.of(new PromotionConfig.Namespace("candidate/*", "*")), null))
                .withEvents(events));
        http = registry.http();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            registry.close();
        } finally {
            receiver.close();
            relay.close();
        }
    }

    @Test
    void everyChangeArrivesOnItsRoutingKeyWithItsFields() throws Exception {
        TestBlob first = ImagePushes.push(http, "candidate/app", "1.0", 1);
        TestBlob second = ImagePushes.push(http, "candidate/app", "1.0", 2);
        assertThat(promote("candidate/app:1.0", "app:1.0").statusCode()).isEqualTo(201);
        assertThat(promote("candidate/app:1.0", "elsewhere/app:1.0").statusCode()).isEqualTo(409);
        assertThat(http.delete("/v2/candidate/app/manifests/1.0").statusCode()).isEqualTo(202);
        assertThat(http.delete("/v2/candidate/app/manifests/" + first.digest()).statusCode()).isEqualTo(202);

        Map<String, List<Received>> byKey = receiver.take(7, PATIENCE).stream()
                .collect(Collectors.groupingBy(Received::routingKey));

        assertThat(byKey).containsOnlyKeys("berth.push", "berth.tag", "berth.promotion.granted",
                "berth.promotion.refused", "berth.delete");
        assertThat(byKey.get("berth.push")).extracting(message -> message.body().get("digest").asText())
                .containsExactlyInAnyOrder(first.digest().toString(), second.digest().toString());
        Received push = byKey.get("berth.push").getFirst();
        assertThat(push.deliveryMode()).isEqualTo(2);
        assertThat(push.messageId()).isEqualTo(push.body().get("id").asText());
        assertThat(push.header("fedora_messaging_schema")).isEqualTo("berth.v1.push");
        assertThat(push.header("fedora_messaging_severity")).isEqualTo("20");
        assertThat(push.header("sent-at")).isNotBlank();
        assertThat(push.body().get("repository").asText()).isEqualTo("candidate/app");
        assertThat(push.body().get("media_type").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(push.body().get("client_address").asText()).isEqualTo("127.0.0.1");
        assertThat(push.body().get("tags").toString()).isEqualTo("[\"1.0\"]");

        Received moved = byKey.get("berth.tag").getFirst();
        assertThat(moved.body().get("from_digest").asText()).isEqualTo(first.digest().toString());
        assertThat(moved.body().get("to_digest").asText()).isEqualTo(second.digest().toString());
        Received granted = byKey.get("berth.promotion.granted").getFirst();
        assertThat(granted.body().get("outcome").asText()).isEqualTo("promoted");
        assertThat(granted.body().get("source_digest").asText()).isEqualTo(second.digest().toString());
        Received refused = byKey.get("berth.promotion.refused").getFirst();
        assertThat(refused.header("fedora_messaging_severity")).isEqualTo("30");
        assertThat(refused.body().get("failed_gates").fieldNames()).toIterable().isNotEmpty();
        assertThat(byKey.get("berth.delete")).extracting(message -> message.body().has("tag") ? "tag" : "manifest")
                .containsExactlyInAnyOrder("tag", "manifest");
        assertThat(receiver.drain(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void pushesDuringABrokerOutageSucceedAndTheirEventsArriveOnceItIsBack() throws Exception {
        ImagePushes.push(http, "app", "before", 10);
        List<Received> received = new ArrayList<>(receiver.take(1, PATIENCE));

        relay.refuse();
        List<String> pushedDuringOutage = new ArrayList<>();
        for (int seed = 11; seed <= 13; seed++) {
            long started = System.nanoTime();
            pushedDuringOutage.add(ImagePushes.push(http, "app", "outage-" + seed, seed).digest().toString());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        Thread.sleep(1500);
        assertThat(receiver.drain(Duration.ZERO)).isEmpty();
        relay.forward();
        ImagePushes.push(http, "app", "after", 14);

        received.addAll(receiver.take(4, PATIENCE));
        received.addAll(receiver.drain(Duration.ofSeconds(2)));

        Map<String, List<Received>> byId = received.stream().collect(Collectors.groupingBy(Received::messageId));
        assertThat(byId).hasSize(5);
        byId.values().forEach(copies -> assertThat(copies).extracting(copy -> copy.body().toString()).containsOnly(
                copies.getFirst().body().toString()));
        assertThat(byId.values().stream().map(copies -> copies.getFirst().body().get("digest").asText()).toList())
                .containsAll(pushedDuringOutage);
        assertThat(byId.values().stream().map(copies -> copies.getFirst().body().get("tags").get(0).asText()))
                .containsExactlyInAnyOrder("before", "outage-11", "outage-12", "outage-13", "after");
        assertThat(received).extracting(Received::messageId).map(Function.identity()).doesNotContainNull();
    }

    private HttpResponse<byte[]> promote(String source, String target) {
        return http.post("/berth/v1/promotions", ("{\"source\":\"" + source + "\",\"targets\":[\"" + target + "\"]}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
