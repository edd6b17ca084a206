package io.berth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.metadata.AuditFilter;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.SqlMetadataStore;
import io.berth.metadata.StoredAuditRecord;
import io.berth.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins in the trail stay bounded: successes once per name and address a while, failures capped and counted. */
class LoginAuditTest {
    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    private MetadataStore metadata;
    private LoginAudit logins;

    @BeforeEach
    void open() {
        metadata = SqlMetadataStore.openSqlite(directory.resolve("berth.db"), clock);
        logins = new LoginAudit(metadata, new AuditTrail(clock), clock);
    }

    @AfterEach
    void close() {
        metadata.close();
    }

    private List<StoredAuditRecord> trail() {
        return metadata.read(session -> session.audit().list(AuditFilter.newest(1000)));
    }

    @Test
    void aSuccessIsRecordedOncePerNameAndAddressEveryTenMinutes() {
        logins.succeeded("releng", "192.0.2.1");
        logins.succeeded("releng", "192.0.2.1");
        logins.succeeded("releng", "192.0.2.2");
        clock.advance(LoginAudit.SUCCESS_INTERVAL.plusSeconds(1));
        logins.succeeded("releng", "192.0.2.1");

        assertThat(trail()).extracting(entry -> entry.record().clientAddress().orElseThrow())
                .containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.1");
    }

    @Test
    void failuresBeyondTheCapAreCountedAndTheCountIsWrittenAtTheNextLoginOfALaterMinute() {
        for (int i = 0; i < LoginAudit.FAILURES_PER_MINUTE + 25; i++) {
            logins.failed("mallory", "198.51.100.9");
        }
        assertThat(trail()).hasSize(LoginAudit.FAILURES_PER_MINUTE);
        clock.advance(Duration.ofMinutes(1));

        logins.succeeded("releng", "192.0.2.1");

        List<StoredAuditRecord> entries = trail();
        assertThat(entries).hasSize(LoginAudit.FAILURES_PER_MINUTE + 2);
        StoredAuditRecord count = entries.get(1);
        assertThat(count.record().action()).isEqualTo("login.failed");
        assertThat(count.record().actor()).hasValue("-");
        assertThat(count.record().detail()).isEqualTo("{\"suppressed\":25}");
        assertThat(entries.get(0).record().action()).isEqualTo("login.succeeded");
        logins.failed("mallory", "198.51.100.9");
        assertThat(trail()).as("the count is written once").hasSize(LoginAudit.FAILURES_PER_MINUTE + 3);
    }
}
