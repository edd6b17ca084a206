package io.berth.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The event outbox in SQL ({@code event_outbox}, migration V12). */
final class SqlOutbox implements OutboxQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, type, occurred_at, body, attempts, delivered_to";

    private final SqlStatements statements;
    private final SqlDialect dialect;

    SqlOutbox(SqlStatements statements, SqlDialect dialect) {
        this.statements = statements;
        this.dialect = dialect;
    }

    @Override
    public void append(OutboxEvent event) {
        statements.update("append_event", """
                INSERT INTO event_outbox (id, type, occurred_at, body, next_attempt_at) VALUES (?, ?, ?, ?, ?)""",
                statement -> {
                    statement.setString(1, event.id().toString());
                    statement.setString(2, event.type());
                    statement.setLong(3, event.occurredAt().toEpochMilli());
                    statement.setString(4, event.body());
                    statement.setLong(5, event.occurredAt().toEpochMilli());
                });
    }

    @Override
    public List<PendingEvent> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<PendingEvent> claimed = statements.query("claim_due_events",
                "SELECT " + COLUMNS + " FROM event_outbox WHERE next_attempt_at <= ?"
                        + " ORDER BY next_attempt_at, occurred_at LIMIT ?" + dialect.claimLock(),
                statement -> {
                    statement.setLong(1, now.toEpochMilli());
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(SqlOutbox::pendingEvent));
        for (PendingEvent pending : claimed) {
            statements.update("lease_event", "UPDATE event_outbox SET next_attempt_at = ? WHERE id = ?",
                    statement -> {
                        statement.setLong(1, leaseUntil.toEpochMilli());
                        statement.setString(2, pending.event().id().toString());
                    });
        }
        return claimed;
    }

    @Override
    public void reschedule(UUID id, Set<String> deliveredTo, int attempts, Instant nextAttemptAt,
                           Optional<String> lastError) {
        statements.update("reschedule_event", """
                UPDATE event_outbox SET delivered_to = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?""",
                statement -> {
                    statement.setString(1, toJson(deliveredTo));
                    statement.setInt(2, attempts);
                    statement.setLong(3, nextAttemptAt.toEpochMilli());
                    statement.setString(4, lastError.orElse(null));
                    statement.setString(5, id.toString());
                });
    }

    @Override
    public boolean remove(UUID id) {
        return statements.update("remove_event", "DELETE FROM event_outbox WHERE id = ?",
                statement -> statement.setString(1, id.toString())) > 0;
    }

    @Override
    public int pruneOccurredBefore(Instant cutoff) {
        return statements.update("prune_events", "DELETE FROM event_outbox WHERE occurred_at < ?",
                statement -> statement.setLong(1, cutoff.toEpochMilli()));
    }

    @Override
    public List<PendingEvent> pending() {
        return statements.query("pending_events", "SELECT " + COLUMNS + " FROM event_outbox ORDER BY occurred_at, id",
                SqlStatements.NO_PARAMETERS, SqlStatements.allRows(SqlOutbox::pendingEvent));
    }

    private static PendingEvent pendingEvent(ResultSet row) throws SQLException {
        OutboxEvent event = new OutboxEvent(UUID.fromString(row.getString(1)), row.getString(2),
                Instant.ofEpochMilli(row.getLong(3)), row.getString(4));
        return new PendingEvent(event, row.getInt(5), fromJson(row.getString(6)));
    }

    private static String toJson(Set<String> destinations) {
        try {
            return JSON.writeValueAsString(new TreeSet<>(destinations));
        } catch (JsonProcessingException e) {
            throw new MetadataException("cannot encode delivered destinations", e);
        }
    }

    private static Set<String> fromJson(String json) {
        try {
            return Set.copyOf(JSON.readValue(json, STRING_LIST));
        } catch (JsonProcessingException e) {
            throw new MetadataException("event_outbox.delivered_to is not a JSON array of strings", e);
        }
    }
}
