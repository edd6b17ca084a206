package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link IntegrityQueries} in plain SQL for SQLite and PostgreSQL. */
final class SqlIntegrity implements IntegrityQueries {
    private final SqlStatements statements;
    /** Makes comparisons and ordering of digests byte-wise whatever the database's collation. */
    private final String binary;

    SqlIntegrity(SqlStatements statements, SqlDialect dialect) {
        this.statements = statements;
        this.binary = switch (dialect) {
            case SQLITE -> "";
            case POSTGRESQL -> " COLLATE \"C\"";
        };
    }

    @Override
    public List<RecordedBlob> recordedBlobs(Optional<Digest> after, int limit) {
        return statements.query("recorded_blobs_after",
                "SELECT digest, size FROM blobs WHERE digest" + binary + " > ? ORDER BY digest" + binary + " LIMIT ?",
                statement -> {
                    statement.setString(1, after.map(Digest::toString).orElse(""));
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(row -> new RecordedBlob(Digest.parse(row.getString(1)), row.getLong(2))));
    }

    @Override
    public BlobTotals recordedTotals(Optional<Digest> after) {
        return statements.query("recorded_blob_totals",
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs WHERE digest" + binary + " > ?",
                statement -> statement.setString(1, after.map(Digest::toString).orElse("")),
                rows -> {
                    rows.next();
                    return new BlobTotals(rows.getLong(1), rows.getLong(2));
                });
    }

    @Override
    public List<RepositoryName> repositoriesLinking(Digest digest) {
        return statements.query("repositories_linking", """
                SELECT r.name FROM repository_blobs l JOIN repositories r ON r.id = l.repository_id
                WHERE l.digest = ? ORDER BY r.name""" + binary,
                statement -> statement.setString(1, digest.toString()),
                SqlStatements.allRows(row -> new RepositoryName(row.getString(1))));
    }

    @Override
    public List<ManifestReference> referencesTo(Digest digest) {
        return statements.query("references_to", """
                SELECT r.name, x.manifest_digest, x.target_digest, x.target_kind FROM manifest_references x
                  JOIN repositories r ON r.id = x.repository_id
                WHERE x.target_digest = ?
                UNION ALL
                SELECT r.name, m.digest, m.subject_digest, 'subject' FROM manifests m
                  JOIN repositories r ON r.id = m.repository_id
                WHERE m.subject_digest = ?
                ORDER BY 1, 2""",
                statement -> {
                    statement.setString(1, digest.toString());
                    statement.setString(2, digest.toString());
                },
                SqlStatements.allRows(SqlIntegrity::reference));
    }

    @Override
    public void forEachDanglingReference(Consumer<ManifestReference> each) {
        statements.query("dangling_references", """
                SELECT r.name, x.manifest_digest, x.target_digest, x.target_kind FROM manifest_references x
                  JOIN repositories r ON r.id = x.repository_id
                WHERE (x.target_kind = 'blob' AND NOT EXISTS (SELECT 1 FROM repository_blobs l
                        WHERE l.repository_id = x.repository_id AND l.digest = x.target_digest))
                   OR (x.target_kind = 'manifest' AND NOT EXISTS (SELECT 1 FROM manifests c
                        WHERE c.repository_id = x.repository_id AND c.digest = x.target_digest))
                ORDER BY 1, 2, 3""",
                SqlStatements.NO_PARAMETERS, rows -> forEach(rows, each));
    }

    @Override
    public void forEachMissingSubject(Consumer<ManifestReference> each) {
        statements.query("missing_subjects", """
                SELECT r.name, m.digest, m.subject_digest, 'subject' FROM manifests m
                  JOIN repositories r ON r.id = m.repository_id
                WHERE m.subject_digest IS NOT NULL AND NOT EXISTS (SELECT 1 FROM manifests s
                        WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest)
                ORDER BY 1, 2""",
                SqlStatements.NO_PARAMETERS, rows -> forEach(rows, each));
    }

    @Override
    public void forEachUnreferencedBlob(Consumer<RecordedBlob> each) {
        statements.query("unreferenced_blobs", """
                SELECT b.digest, b.size FROM blobs b
                WHERE NOT EXISTS (SELECT 1 FROM repository_blobs l WHERE l.digest = b.digest)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references x WHERE x.target_digest = b.digest)
                ORDER BY b.digest""" + binary,
                SqlStatements.NO_PARAMETERS,
                rows -> {
                    while (rows.next()) {
                        each.accept(new RecordedBlob(Digest.parse(rows.getString(1)), rows.getLong(2)));
                    }
                    return null;
                });
    }

    @Override
    public List<RepositoryName> forgetBlob(Digest digest) {
        List<RepositoryName> linking = repositoriesLinking(digest);
        statements.update("unlink_blob_everywhere", "DELETE FROM repository_blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()));
        statements.update("delete_blob_record", "DELETE FROM blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()));
        return linking;
    }

    private static Void forEach(ResultSet rows, Consumer<ManifestReference> each) throws SQLException {
        while (rows.next()) {
            each.accept(reference(rows));
        }
        return null;
    }

    private static ManifestReference reference(ResultSet row) throws SQLException {
        ManifestReference.Kind kind = switch (row.getString(4)) {
            case "blob" -> ManifestReference.Kind.BLOB;
            case "manifest" -> ManifestReference.Kind.CHILD_MANIFEST;
            case "subject" -> ManifestReference.Kind.SUBJECT;
            default -> throw new SQLException("unknown reference kind " + row.getString(4));
        };
        return new ManifestReference(new RepositoryName(row.getString(1)), Digest.parse(row.getString(2)),
                Digest.parse(row.getString(3)), kind);
    }
}
