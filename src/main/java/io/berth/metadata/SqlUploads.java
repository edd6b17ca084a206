package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Upload sessions in SQL, on the session's connection. */
final class SqlUploads implements UploadQueries {
    private final SqlStatements statements;

    SqlUploads(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public void createUpload(UploadRecord upload) {
        statements.update("insert_upload", "INSERT INTO uploads (id, repository, size, started_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, upload.id());
                    statement.setString(2, upload.repository().value());
                    statement.setLong(3, upload.size());
                    statement.setLong(4, upload.startedAt().toEpochMilli());
                    statement.setLong(5, upload.updatedAt().toEpochMilli());
                });
    }

    @Override
    public Optional<UploadRecord> upload(String id) {
        return statements.query("find_upload", "SELECT id, repository, size, started_at, updated_at FROM uploads WHERE id = ?",
                statement -> statement.setString(1, id),
                rows -> rows.next() ? Optional.of(record(rows)) : Optional.empty());
    }

    @Override
    public List<UploadRecord> uploadsIdleSince(Instant cutoff, int limit) {
        return statements.query("uploads_idle_since", """
                SELECT id, repository, size, started_at, updated_at FROM uploads
                WHERE updated_at < ? ORDER BY updated_at, id LIMIT ?""",
                statement -> {
                    statement.setLong(1, cutoff.toEpochMilli());
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(SqlUploads::record));
    }

    @Override
    public boolean deleteUploadIdleSince(String id, Instant cutoff) {
        return statements.update("delete_idle_upload", "DELETE FROM uploads WHERE id = ? AND updated_at < ?",
                statement -> {
                    statement.setString(1, id);
                    statement.setLong(2, cutoff.toEpochMilli());
                }) > 0;
    }

    private static UploadRecord record(ResultSet rows) throws SQLException {
        return new UploadRecord(rows.getString(1), new RepositoryName(rows.getString(2)), rows.getLong(3),
                Instant.ofEpochMilli(rows.getLong(4)), Instant.ofEpochMilli(rows.getLong(5)));
    }

    @Override
    public void updateUploadSize(String id, long size, Instant updatedAt) {
        statements.update("update_upload_size", "UPDATE uploads SET size = ?, updated_at = ? WHERE id = ?",
                statement -> {
                    statement.setLong(1, size);
                    statement.setLong(2, updatedAt.toEpochMilli());
                    statement.setString(3, id);
                });
    }

    @Override
    public boolean deleteUpload(String id) {
        return statements.update("delete_upload", "DELETE FROM uploads WHERE id = ?", statement -> statement.setString(1, id)) > 0;
    }
}
