package io.berth.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.EventOrigin;
import io.berth.metadata.AuditRecord;
import io.berth.metadata.MetadataSession;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Writes audit entries into a session's transaction, stamped with the clock's time. Text a client
 * chose (a user name tried at login, a description) is kept to {@link #MAX_TEXT} characters.
 */
public final class AuditTrail {
    /** The longest text kept in one field of an entry; longer text is cut and marked with {@code …}. */
    public static final int MAX_TEXT = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public AuditTrail(Clock clock) {
        this.clock = clock;
    }

    /**
     * Adds an entry to {@code session}'s transaction.
     *
     * @param repository the repository the action changed, if any
     * @param source     for a promotion, the repository it promoted from
     * @param detail     a JSON object with the rest
     */
    public void record(MetadataSession session, EventOrigin origin, AuditAction action, Optional<String> repository,
                       Optional<String> source, String detail) {
        session.audit().append(new AuditRecord(clock.instant(), action.wireName(), origin.actor().map(AuditTrail::bounded),
                origin.clientAddress(), repository, source, detail));
    }

    /** {@link #record} with the detail given as fields. */
    public void record(MetadataSession session, EventOrigin origin, AuditAction action, Optional<String> repository,
                       Map<String, ?> detail) {
        record(session, origin, action, repository, Optional.empty(), json(detail));
    }

    static String bounded(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    private static String json(Map<String, ?> detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an audit entry's detail could not be written as JSON", e);
        }
    }
}
