package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/** The mirror catalogue and mirror generations in SQL, on the session's connection. */
final class SqlMirrors implements MirrorQueries {
    private static final String COLUMNS = """
            name, base_url, country, continent, netblocks, autonomous_systems, bandwidth_mbps, private_mirror,
            allowed_countries, enabled, from_config, synced_generation, stale, consecutive_failures, last_crawl_at,
            last_error""";

    /** How many unexported blobs one query of {@link #startMirrorGeneration} reads. */
    private static final int UNEXPORTED_PAGE = 1000;

    private final SqlStatements statements;

    SqlMirrors(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public List<StoredMirror> listMirrors() {
        return statements.query("list_mirrors", "SELECT " + COLUMNS + " FROM mirrors ORDER BY name",
                SqlStatements.NO_PARAMETERS,
                SqlStatements.allRows(SqlMirrors::mirrorRow));
    }

    @Override
    public boolean addMirror(MirrorRecord mirror) {
        return statements.update("add_mirror", "INSERT INTO mirrors (" + COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 0, NULL, NULL)
                ON CONFLICT DO NOTHING""",
                statement -> {
                    bindDeclaration(statement, mirror);
                    statement.setBoolean(12, true);
                }) > 0;
    }

    @Override
    public void putConfiguredMirror(MirrorRecord mirror) {
        statements.update("put_configured_mirror", "INSERT INTO mirrors (" + COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 0, NULL, NULL)
                ON CONFLICT (name) DO UPDATE SET
                  synced_generation = CASE WHEN mirrors.base_url = excluded.base_url THEN mirrors.synced_generation END,
                  stale = CASE WHEN mirrors.base_url = excluded.base_url THEN mirrors.stale ELSE excluded.stale END,
                  base_url = excluded.base_url, country = excluded.country,
                  continent = excluded.continent, netblocks = excluded.netblocks,
                  autonomous_systems = excluded.autonomous_systems, bandwidth_mbps = excluded.bandwidth_mbps,
                  private_mirror = excluded.private_mirror, allowed_countries = excluded.allowed_countries,
                  from_config = excluded.from_config""",
                statement -> {
                    bindDeclaration(statement, mirror);
                    statement.setBoolean(12, true);
                });
    }

    @Override
    public int removeConfiguredMirrorsExcept(Set<String> keep) {
        int removed = 0;
        for (StoredMirror stored : listMirrors()) {
            if (stored.mirror().fromConfig() && !keep.contains(stored.mirror().name())) {
                removed += removeMirror(stored.mirror().name()) ? 1 : 0;
            }
        }
        return removed;
    }

    @Override
    public boolean removeMirror(String name) {
        return statements.update("remove_mirror", "DELETE FROM mirrors WHERE name = ?",
                statement -> statement.setString(1, name)) > 0;
    }

    @Override
    public boolean setMirrorEnabled(String name, boolean enabled) {
        return statements.update("set_mirror_enabled", """
                UPDATE mirrors SET enabled = ?,
                  consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END
                WHERE name = ?""",
                statement -> {
                    statement.setBoolean(1, enabled);
                    statement.setBoolean(2, enabled);
                    statement.setString(3, name);
                }) > 0;
    }

    @Override
    public void recordCrawlSuccess(String name, long generation, Instant at) {
        statements.update("record_crawl_success", """
                UPDATE mirrors SET synced_generation = ?, stale = ?, consecutive_failures = 0, last_crawl_at = ?,
                  last_error = NULL
                WHERE name = ?""",
                statement -> {
                    statement.setLong(1, generation);
                    statement.setBoolean(2, false);
                    statement.setLong(3, at.toEpochMilli());
                    statement.setString(4, name);
                });
    }

    @Override
    public void recordCrawlFailure(String name, String error, Instant at, int disableAfter) {
        statements.update("record_crawl_failure", """
                UPDATE mirrors SET stale = ?, consecutive_failures = consecutive_failures + 1, last_crawl_at = ?,
                  last_error = ?, enabled = CASE WHEN consecutive_failures + 1 >= ? THEN ? ELSE enabled END
                WHERE name = ?""",
                statement -> {
                    statement.setBoolean(1, true);
                    statement.setLong(2, at.toEpochMilli());
                    statement.setString(3, error);
                    statement.setInt(4, disableAfter);
                    statement.setBoolean(5, false);
                    statement.setString(6, name);
                });
    }

    @Override
    public boolean takeCrawlLease(String holder, Instant now, Instant until) {
        return statements.update("take_crawl_lease", """
                INSERT INTO mirror_crawl_lease (id, holder, expires_at) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE mirror_crawl_lease.expires_at <= ? OR mirror_crawl_lease.holder = excluded.holder""",
                statement -> {
                    statement.setString(1, holder);
                    statement.setLong(2, until.toEpochMilli());
                    statement.setLong(3, now.toEpochMilli());
                }) > 0;
    }

    @Override
    public OptionalLong latestMirrorGeneration() {
        return statements.query("latest_mirror_generation", "SELECT MAX(generation) FROM mirror_generations",
                SqlStatements.NO_PARAMETERS, SqlStatements.AGGREGATE_LONG);
    }

    @Override
    public OptionalLong startMirrorGeneration(Instant at, Predicate<RepositoryName> inScope) {
        long generation = latestMirrorGeneration().orElse(0) + 1;
        statements.update("insert_mirror_generation",
                "INSERT INTO mirror_generations (generation, created_at, blob_count) VALUES (?, ?, 0)",
                statement -> {
                    statement.setLong(1, generation);
                    statement.setLong(2, at.toEpochMilli());
                });
        long added = 0;
        String after = "";
        for (UnexportedPage page; !(page = unexportedBlobsAfter(after, inScope)).isEmpty(); after = page.last()) {
            added += statements.updateEach("assign_mirror_generation",
                    "UPDATE blobs SET mirror_generation = ? WHERE digest = ? AND mirror_generation IS NULL",
                    page.inScope(),
                    (statement, digest) -> {
                        statement.setLong(1, generation);
                        statement.setString(2, digest);
                    });
        }
        if (added == 0) {
            statements.update("drop_empty_mirror_generation", "DELETE FROM mirror_generations WHERE generation = ?",
                    statement -> statement.setLong(1, generation));
            return OptionalLong.empty();
        }
        long count = added;
        statements.update("count_mirror_generation",
                "UPDATE mirror_generations SET blob_count = ? WHERE generation = ?",
                statement -> {
                    statement.setLong(1, count);
                    statement.setLong(2, generation);
                });
        return OptionalLong.of(generation);
    }

    /**
     * A page of blobs no generation holds yet, in digest order after {@code after}: the last digest
     * read, and those of them a repository in scope links.
     */
    private record UnexportedPage(String last, List<String> inScope) {
        boolean isEmpty() {
            return last == null;
        }
    }

    private UnexportedPage unexportedBlobsAfter(String after, Predicate<RepositoryName> inScope) {
        return statements.query("list_unexported_blobs", """
                SELECT page.digest, repositories.name FROM (
                    SELECT digest FROM blobs WHERE mirror_generation IS NULL AND digest > ? ORDER BY digest LIMIT ?
                ) page
                LEFT JOIN repository_blobs ON repository_blobs.digest = page.digest
                LEFT JOIN repositories ON repositories.id = repository_blobs.repository_id
                ORDER BY page.digest""",
                statement -> {
                    statement.setString(1, after);
                    statement.setInt(2, UNEXPORTED_PAGE);
                },
                rows -> {
                    String last = null;
                    List<String> selected = new ArrayList<>();
                    while (rows.next()) {
                        String digest = rows.getString(1);
                        String repository = rows.getString(2);
                        boolean selectedAlready = !selected.isEmpty() && selected.getLast().equals(digest);
                        if (!selectedAlready && repository != null && inScope.test(new RepositoryName(repository))) {
                            selected.add(digest);
                        }
                        last = digest;
                    }
                    return new UnexportedPage(last, selected);
                });
    }

    @Override
    public GenerationTotals generationTotals(long generation) {
        return statements.query("generation_totals",
                "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM blobs WHERE mirror_generation = ?",
                statement -> statement.setLong(1, generation),
                rows -> {
                    rows.next();
                    return new GenerationTotals(rows.getLong(1), rows.getLong(2));
                });
    }

    @Override
    public List<GenerationBlob> blobsOfGeneration(long generation, Optional<Digest> after, int limit) {
        return statements.query("blobs_of_generation", """
                SELECT digest, size, mirror_generation FROM blobs
                WHERE mirror_generation = ? AND digest > ? ORDER BY digest LIMIT ?""",
                statement -> {
                    statement.setLong(1, generation);
                    statement.setString(2, after.map(Digest::toString).orElse(""));
                    statement.setInt(3, limit);
                },
                SqlStatements.allRows(SqlMirrors::generationBlobRow));
    }

    @Override
    public void publishMirrorGeneration(long generation, Instant at) {
        statements.update("publish_mirror_generation",
                "UPDATE mirror_generations SET published_at = ? WHERE generation = ? AND published_at IS NULL",
                statement -> {
                    statement.setLong(1, at.toEpochMilli());
                    statement.setLong(2, generation);
                });
    }

    @Override
    public OptionalLong latestPublishedMirrorGeneration() {
        return statements.query("latest_published_mirror_generation",
                "SELECT MAX(generation) FROM mirror_generations WHERE published_at IS NOT NULL",
                SqlStatements.NO_PARAMETERS, SqlStatements.AGGREGATE_LONG);
    }

    @Override
    public List<Long> mirrorGenerations() {
        return statements.query("list_mirror_generations", "SELECT generation FROM mirror_generations ORDER BY generation",
                SqlStatements.NO_PARAMETERS,
                SqlStatements.allRows(row -> row.getLong(1)));
    }

    @Override
    public List<GenerationBlob> sampleGenerationBlobs(long from, long to, int count) {
        return statements.query("sample_generation_blobs", """
                SELECT digest, size, mirror_generation FROM blobs
                WHERE mirror_generation >= ? AND mirror_generation <= ?
                ORDER BY RANDOM() LIMIT ?""",
                statement -> {
                    statement.setLong(1, from);
                    statement.setLong(2, to);
                    statement.setInt(3, count);
                },
                SqlStatements.allRows(SqlMirrors::generationBlobRow));
    }

    private static GenerationBlob generationBlobRow(ResultSet rows) throws SQLException {
        return new GenerationBlob(Digest.parse(rows.getString(1)), rows.getLong(2), rows.getLong(3));
    }

    private static void bindDeclaration(PreparedStatement statement, MirrorRecord mirror) throws SQLException {
        statement.setString(1, mirror.name());
        statement.setString(2, mirror.baseUrl());
        setOptional(statement, 3, mirror.country());
        setOptional(statement, 4, mirror.continent());
        statement.setString(5, String.join(",", mirror.netblocks()));
        statement.setString(6, String.join(",", mirror.autonomousSystems().stream().map(String::valueOf).toList()));
        statement.setInt(7, mirror.bandwidthMbps());
        statement.setBoolean(8, mirror.privateMirror());
        statement.setString(9, String.join(",", mirror.allowedCountries()));
        statement.setBoolean(10, mirror.enabled());
        statement.setBoolean(11, mirror.fromConfig());
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static StoredMirror mirrorRow(ResultSet rows) throws SQLException {
        MirrorRecord mirror = new MirrorRecord(rows.getString(1), rows.getString(2),
                Optional.ofNullable(rows.getString(3)), Optional.ofNullable(rows.getString(4)),
                split(rows.getString(5)), split(rows.getString(6)).stream().map(Long::valueOf).toList(),
                rows.getInt(7), rows.getBoolean(8), split(rows.getString(9)), rows.getBoolean(10), rows.getBoolean(11));
        long synced = rows.getLong(12);
        OptionalLong syncedGeneration = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(synced);
        long crawled = rows.getLong(15);
        Optional<Instant> lastCrawlAt = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(crawled));
        MirrorCrawlState crawl = new MirrorCrawlState(syncedGeneration, rows.getBoolean(13), rows.getInt(14),
                lastCrawlAt, Optional.ofNullable(rows.getString(16)));
        return new StoredMirror(mirror, crawl);
    }

    private static List<String> split(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
