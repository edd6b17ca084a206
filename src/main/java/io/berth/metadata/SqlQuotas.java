package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.List;

/**
 * Quota usage in SQL. The repositories are passed as one JSON array parameter, unpacked by the
 * database ({@link SqlDialect#jsonStrings}), so that a quota covering many repositories is still one
 * statement with two parameters.
 */
final class SqlQuotas implements QuotaQueries {
    /** Sorts after every character a repository name may contain ({@code [a-z0-9._/-]}). */
    private static final char PAST_EVERY_NAME_CHARACTER = '~';

    private final SqlStatements statements;
    private final SqlDialect dialect;

    SqlQuotas(SqlStatements statements, SqlDialect dialect) {
        this.statements = statements;
        this.dialect = dialect;
    }

    @Override
    public List<RepositoryName> repositoriesStartingWith(String prefix) {
        // A range on the unique name index rather than LIKE, which would read '_' in names as a wildcard.
        // Names sort in byte order and use only characters below '~' (RepositoryName), so the names
        // from the prefix up to the prefix followed by '~' are exactly those that start with it.
        return statements.query("repositories_starting_with", """
                SELECT r.name FROM repositories r WHERE r.name >= ? AND r.name < ?
                  AND (EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
                    OR EXISTS (SELECT 1 FROM repository_blobs b WHERE b.repository_id = r.id))
                ORDER BY r.name""",
                statement -> {
                    statement.setString(1, prefix);
                    statement.setString(2, prefix + PAST_EVERY_NAME_CHARACTER);
                },
                SqlStatements.allRows(row -> new RepositoryName(row.getString(1))));
    }

    @Override
    public long storedBytes(List<RepositoryName> repositories) {
        if (repositories.isEmpty()) {
            return 0;
        }
        String names = toJsonArray(repositories);
        String covered = "SELECT r.id FROM repositories r WHERE r.name IN (" + dialect.jsonStrings() + ")";
        return statements.query("quota_stored_bytes", """
                SELECT (SELECT COALESCE(SUM(b.size), 0) FROM blobs b WHERE b.digest IN
                          (SELECT l.digest FROM repository_blobs l WHERE l.repository_id IN (%1$s)))
                     + (SELECT COALESCE(SUM(d.size), 0) FROM
                          (SELECT DISTINCT m.digest, m.size FROM manifests m WHERE m.repository_id IN (%2$s)) d)"""
                        .formatted(covered, covered),
                statement -> {
                    statement.setString(1, names);
                    statement.setString(2, names);
                },
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                });
    }

    @Override
    public boolean holdsBlob(List<RepositoryName> repositories, Digest digest) {
        return holds("quota_holds_blob", "repository_blobs", repositories, digest);
    }

    @Override
    public boolean holdsManifest(List<RepositoryName> repositories, Digest digest) {
        return holds("quota_holds_manifest", "manifests", repositories, digest);
    }

    private boolean holds(String name, String table, List<RepositoryName> repositories, Digest digest) {
        if (repositories.isEmpty()) {
            return false;
        }
        return statements.query(name, "SELECT 1 FROM " + table + " t WHERE t.digest = ? AND t.repository_id IN"
                        + " (SELECT r.id FROM repositories r WHERE r.name IN (" + dialect.jsonStrings() + "))",
                statement -> {
                    statement.setString(1, digest.toString());
                    statement.setString(2, toJsonArray(repositories));
                },
                java.sql.ResultSet::next);
    }

    @Override
    public void lockQuota(String pattern) {
        if (dialect == SqlDialect.SQLITE) {
            return;
        }
        // hashtext is PostgreSQL's own 32-bit hash; two patterns sharing a hash only wait for each other.
        statements.query("lock_quota", "SELECT pg_advisory_xact_lock(hashtext(?))",
                statement -> statement.setString(1, "berth-quota:" + pattern),
                java.sql.ResultSet::next);
    }

    /** Repository names are validated ({@link RepositoryName}): lower-case letters, digits, separators and slashes, never a quote. */
    private static String toJsonArray(List<RepositoryName> repositories) {
        StringBuilder json = new StringBuilder("[");
        for (RepositoryName name : repositories) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(name.value()).append('"');
        }
        return json.append(']').toString();
    }
}
