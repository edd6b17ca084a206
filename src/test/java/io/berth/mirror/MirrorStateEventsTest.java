package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.OutboxRecorder;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.PendingEvent;
import io.berth.metadata.SqlMetadataStore;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.testing.LoopbackPorts;
import io.berth.testing.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawler records a {@code mirror.state} event when, and only when, a crawl changes what a
 * mirror is: a healthy mirror that stops answering becomes stale (one event), stays stale over the
 * next failures (none), and is disabled at the fourth (one more).
 */
class MirrorStateEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temporary;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
    private MetadataStore metadata;
    private MirrorCatalogue catalogue;

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openSqlite(temporary.resolve("berth.db"), clock);
        catalogue = new MirrorCatalogue(metadata, clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    @Test
    void aMirrorThatStopsAnsweringIsReportedStaleThenDisabled() throws Exception {
        URI unreachable = URI.create("http://127.0.0.1:" + LoopbackPorts.free() + "/berth/");
        catalogue.add(new Mirror("flaky", unreachable, Optional.empty(), Optional.empty(), List.of(), Set.of(), 100,
                false, Set.of(), true, false));
        Digest blob = Digest.parse("sha256:" + "b".repeat(64));
        metadata.inTransaction(session -> {
            session.recordBlob(blob, 4);
            session.linkBlob(new RepositoryName("app"), blob);
            session.mirrors().startMirrorGeneration(clock.instant(), repository -> true);
            session.mirrors().recordCrawlSuccess("flaky", 1, clock.instant());
            return null;
        });
        try (MirrorCrawler crawler = new MirrorCrawler(catalogue, metadata,
                new DownloadSources(Geolocator.none(), Optional.empty()), Duration.ofSeconds(2), 1, clock, result -> { },
                new OutboxRecorder(clock))) {
            crawler.crawlAll();
            assertThat(states()).containsExactly("healthy -> stale");

            for (int crawl = 2; crawl <= MirrorCrawler.DISABLE_AFTER_FAILURES; crawl++) {
                clock.advance(Duration.ofMinutes(10));
                crawler.crawlAll();
            }
        }

        assertThat(states()).containsExactly("healthy -> stale", "stale -> disabled");
        JsonNode disabled = JSON.readTree(events().getLast().event().body());
        assertThat(disabled.get("type").asText()).isEqualTo("mirror.state");
        assertThat(disabled.get("mirror").asText()).isEqualTo("flaky");
        assertThat(disabled.get("error").asText()).isNotBlank();
    }

    private List<PendingEvent> events() {
        return metadata.read(session -> session.outbox().pending());
    }

    private List<String> states() throws Exception {
        List<String> states = new java.util.ArrayList<>();
        for (PendingEvent pending : events()) {
            JsonNode body = JSON.readTree(pending.event().body());
            states.add(body.get("previous_state").asText() + " -> " + body.get("state").asText());
        }
        return states;
    }
}
