package io.berth.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The audit trail in SQL, on the session's connection. */
final class SqlAudit implements AuditQueries {
    private static final String COLUMNS = "id, occurred_at, action, actor, client_address, repository, source_repository, detail";

    private final SqlStatements statements;

    SqlAudit(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public long append(AuditRecord record) {
        return statements.query("append_audit", """
                INSERT INTO audit_log (occurred_at, action, actor, client_address, repository, source_repository, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                statement -> {
                    statement.setLong(1, record.at().toEpochMilli());
                    statement.setString(2, record.action());
                    setOptional(statement, 3, record.actor());
                    setOptional(statement, 4, record.clientAddress());
                    setOptional(statement, 5, record.repository());
                    setOptional(statement, 6, record.sourceRepository());
                    statement.setString(7, record.detail());
                },
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                });
    }

    @Override
    public List<StoredAuditRecord> list(AuditFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter.actor().ifPresent(actor -> {
            sql.append(" AND actor = ?");
            parameters.add(actor);
        });
        filter.action().ifPresent(action -> {
            if (action.contains(".")) {
                sql.append(" AND action = ?");
                parameters.add(action);
            } else {
                // A family: the name itself (push) or any of its outcomes (login.failed). A prefix
                // compared for equality, exact under any collation (a range is not: PostgreSQL's
                // locale collations order punctuation after letters), with no LIKE wildcard a caller
                // could send.
                sql.append(" AND (action = ? OR substr(action, 1, ?) = ?)");
                parameters.add(action);
                parameters.add(action.length() + 1);
                parameters.add(action + ".");
            }
        });
        filter.repository().ifPresent(repository -> {
            sql.append(" AND (repository = ? OR source_repository = ?)");
            parameters.add(repository);
            parameters.add(repository);
        });
        filter.since().ifPresent(since -> {
            sql.append(" AND occurred_at >= ?");
            parameters.add(since.toEpochMilli());
        });
        if (filter.before().isPresent()) {
            sql.append(" AND id < ?");
            parameters.add(filter.before().getAsLong());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add((long) filter.limit());
        return statements.query("list_audit", sql.toString(),
                statement -> {
                    for (int i = 0; i < parameters.size(); i++) {
                        if (parameters.get(i) instanceof Long number) {
                            statement.setLong(i + 1, number);
                        } else if (parameters.get(i) instanceof Integer number) {
                            statement.setInt(i + 1, number);
                        } else {
                            statement.setString(i + 1, (String) parameters.get(i));
                        }
                    }
                },
                SqlStatements.allRows(SqlAudit::row));
    }

    @Override
    public int removeBefore(Instant cutoff) {
        return statements.update("remove_audit_before", "DELETE FROM audit_log WHERE occurred_at < ?",
                statement -> statement.setLong(1, cutoff.toEpochMilli()));
    }

    private static void setOptional(java.sql.PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static StoredAuditRecord row(ResultSet rows) throws SQLException {
        return new StoredAuditRecord(rows.getLong(1), new AuditRecord(Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
                Optional.ofNullable(rows.getString(4)), Optional.ofNullable(rows.getString(5)),
                Optional.ofNullable(rows.getString(6)), Optional.ofNullable(rows.getString(7)), rows.getString(8)));
    }
}
