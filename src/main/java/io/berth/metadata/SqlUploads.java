package io.berth.metadata;

import io.berth.oci.RepositoryName;
import java.time.Instant;
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
        return statements.query("find_upload", "SELECT repository, size, started_at, updated_at FROM uploads WHERE id = ?",
                statement -> statement.setString(1, id),
                rows -> rows.next()
                        ? Optional.of(new UploadRecord(id, new RepositoryName(rows.getString(1)), rows.getLong(2),
                        Instant.ofEpochMilli(rows.getLong(3)), Instant.ofEpochMilli(rows.getLong(4))))
                        : Optional.empty());
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
