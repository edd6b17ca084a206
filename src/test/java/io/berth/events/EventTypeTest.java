package io.berth.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.config.WebhookConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The names events travel under, and the places that must agree with them. */
class EventTypeTest {

    @Test
    void routingKeysAndCloudEventTypesFollowTheWireName() {
        assertThat(EventType.PUSH.routingKey()).isEqualTo("berth.push");
        assertThat(EventType.PROMOTION_REFUSED.routingKey()).isEqualTo("berth.promotion.refused");
        assertThat(EventType.MIRROR_STATE.cloudEventType()).isEqualTo("dev.berth.mirror.state");
        assertThat(EventType.fromWireName("promotion.granted")).contains(EventType.PROMOTION_GRANTED);
        assertThat(EventType.fromWireName("promotion")).isEmpty();
    }

    /** The configuration checks webhook types against its own list, as it may not know this package. */
    @Test
    void theConfigurationKnowsExactlyTheEventFamilies() {
        assertThat(WebhookConfig.EVENT_FAMILIES).isEqualTo(
                Arrays.stream(EventType.values()).map(EventType::family).collect(Collectors.toSet()));
    }

    @Test
    void everyRoutingKeyIsDocumented() throws IOException {
        String operations = Files.readString(Path.of("docs/operations.md"));

        for (EventType type : EventType.values()) {
            assertThat(operations).contains("`" + type.routingKey() + "`", "`" + type.cloudEventType() + "`");
        }
    }
}
