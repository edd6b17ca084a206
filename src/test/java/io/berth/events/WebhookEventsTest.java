package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.config.EventsConfig;
import io.berth.config.WebhookConfig;
import io.berth.testing.RegistryHttp;
import io.berth.testing.TestBlob;
import io.berth.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook that fails its first requests gets each event it subscribed to again until it accepts
 * it: a CloudEvents 1.0 structured JSON whose {@code X-Berth-Signature} verifies with the secret.
 */
class WebhookEventsTest {
    private static final byte[] SECRET = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;
    private WebhookReceiver receiver;
    private TestRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver(3);
        Path secretFile = Files.writeString(directory.resolve("webhook-secret"), new String(SECRET, StandardCharsets.UTF_8) + "\n");
        EventsConfig events = new EventsConfig(null,
                List.of(new WebhookConfig(receiver.url().toString(), secretFile.toString(), List.of("push"), 5L)),
                null, 100L, 100L, 1L, "https://registry.example.org");
        registry = TestRegistry.start(config -> config.withEvents(events));
        http = registry.http();
    }

    @AfterEach
    void stop() {
        try {
            registry.close();
        } finally {
            receiver.close();
        }
    }

    @Test
    void aFailingWebhookIsRetriedAndGetsASignedCloudEvent() throws Exception {
        TestBlob pushed = ImagePushes.push(http, "app", "1.0", 1);
        assertThat(http.delete("/v2/app/manifests/1.0").statusCode()).isEqualTo(202);

        WebhookReceiver.Request request = receiver.take(1, Duration.ofSeconds(30)).getFirst();

        assertThat(receiver.requests()).isEqualTo(4);
        assertThat(WebhookSignature.verifies(SECRET, request.body(), request.signature())).isTrue();
        assertThat(WebhookSignature.verifies("another secret".getBytes(StandardCharsets.UTF_8), request.body(),
                request.signature())).isFalse();
        assertThat(request.contentType()).startsWith("application/cloudevents+json");
        JsonNode event = JSON.readTree(request.body());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("type").asText()).isEqualTo("dev.berth.push");
        assertThat(event.get("source").asText()).isEqualTo("https://registry.example.org");
        assertThat(event.get("subject").asText()).isEqualTo("app");
        assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.get("id").asText()).hasSize(36);
        assertThat(event.get("time").asText()).endsWith("Z");
        assertThat(event.get("data").get("digest").asText()).isEqualTo(pushed.digest().toString());
        assertThat(event.get("data").has("id")).isFalse();
        // The delete is not among the webhook's types: it is never sent.
        assertThat(receiver.drain(Duration.ofSeconds(1))).isEmpty();
        assertThat(receiver.requests()).isEqualTo(4);
    }

    @Test
    void theSignatureIsTheHmacSha256OfTheBodyInHex() {
        // RFC 4231, test case 2.
        assertThat(WebhookSignature.sign("Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
