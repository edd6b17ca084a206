package io.berth.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Plain SQL over one connection; the statements work on SQLite and PostgreSQL alike. */
final class SqlSession implements MetadataSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final SqlStatements statements;
    private final Clock clock;
    private final SqlUploads uploads;
    private final SqlRobots robots;
    private final SqlMirrors mirrors;
    private final SqlPromotions promotions;
    private final SqlIntegrity integrity;
    private final SqlGc gc;
    private final SqlChangeNotes changes;
    private final SqlMaintenance maintenance;
    private final SqlQuotas quotas;
    private final SqlSigningKeys signingKeys;
    private final SqlOutbox outbox;
    private final SqlAudit audit;
    /** Appended to reads that a transaction's writes depend on; empty outside transactions. */
    private final String lockClause;
    /** Appended to reads of rows a transaction is about to change; empty outside transactions. */
    private final String updateClause;

    SqlSession(Connection connection, Clock clock, SqlDialect dialect, boolean inTransaction) {
        this.statements = new SqlStatements(connection);
        this.clock = clock;
        this.uploads = new SqlUploads(statements);
        this.robots = new SqlRobots(statements);
        this.mirrors = new SqlMirrors(statements);
        this.promotions = new SqlPromotions(statements);
        this.integrity = new SqlIntegrity(statements, dialect);
        this.changes = new SqlChangeNotes(statements, dialect);
        this.gc = new SqlGc(statements, dialect, changes);
        this.maintenance = new SqlMaintenance(statements);
        this.quotas = new SqlQuotas(statements, dialect);
        this.signingKeys = new SqlSigningKeys(statements);
        this.outbox = new SqlOutbox(statements, dialect);
        this.audit = new SqlAudit(statements);
        this.lockClause = inTransaction ? dialect.shareLock() : "";
        this.updateClause = inTransaction ? dialect.updateLock() : "";
    }

    // --- repositories ---------------------------------------------------------------------------

    @Override
    public boolean repositoryExists(RepositoryName name) {
        return statements.query("repository_exists", """
                SELECT 1 FROM repositories r WHERE r.name = ?
                  AND (EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
                    OR EXISTS (SELECT 1 FROM repository_blobs b WHERE b.repository_id = r.id))""",
                statement -> statement.setString(1, name.value()), ResultSet::next);
    }

    @Override
    public List<RepositoryName> listRepositories(Optional<String> after, int limit) {
        return statements.query("list_repositories", """
                SELECT r.name FROM repositories r WHERE r.name > ?
                  AND EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
                ORDER BY r.name LIMIT ?""",
                statement -> {
                    statement.setString(1, after.orElse(""));
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(row -> new RepositoryName(row.getString(1))));
    }

    @Override
    public List<RepositoryName> searchRepositories(String fragment, Optional<String> after, int limit) {
        return statements.query("search_repositories", """
                SELECT r.name FROM repositories r WHERE r.name > ? AND r.name LIKE ? ESCAPE '\\'
                  AND EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
                ORDER BY r.name LIMIT ?""",
                statement -> {
                    statement.setString(1, after.orElse(""));
                    statement.setString(2, "%" + likeLiteral(fragment) + "%");
                    statement.setInt(3, limit);
                },
                SqlStatements.allRows(row -> new RepositoryName(row.getString(1))));
    }

    /** {@code text} as a LIKE pattern that matches only itself, with a backslash as the escape character. */
    private static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * The repository's id, creating it when missing. Inside a transaction the row is share-locked, so
     * garbage collection cannot remove the repository before what this transaction adds to it commits.
     */
    private long ensureRepository(RepositoryName name) {
        OptionalLong existing = repositoryId(name);
        if (existing.isPresent()) {
            return existing.getAsLong();
        }
        int created = statements.update("insert_repository", "INSERT INTO repositories (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                statement -> {
                    statement.setString(1, name.value());
                    statement.setLong(2, now());
                });
        long id = repositoryId(name).orElseThrow(() -> new MetadataException("repository " + name + " vanished while it was created", null));
        if (created > 0) {
            changes.repositoryCreated(id);
        }
        return id;
    }

    private OptionalLong repositoryId(RepositoryName name) {
        return statements.query("find_repository", "SELECT id FROM repositories WHERE name = ?" + lockClause,
                statement -> statement.setString(1, name.value()),
                rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty());
    }

    // --- blobs ----------------------------------------------------------------------------------

    @Override
    public void recordBlob(Digest digest, long size) {
        statements.update("insert_blob", """
                INSERT INTO blobs (digest, size, created_at) VALUES (?, ?, ?)
                ON CONFLICT (digest) DO UPDATE SET size = blobs.size""",
                statement -> {
                    statement.setString(1, digest.toString());
                    statement.setLong(2, size);
                    statement.setLong(3, now());
                });
    }

    @Override
    public OptionalLong blobSize(Digest digest) {
        return statements.query("blob_size", "SELECT size FROM blobs WHERE digest = ?" + lockClause,
                statement -> statement.setString(1, digest.toString()),
                rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty());
    }

    /**
     * Locks the blob's record before anything else is linked to it (inside a transaction), in the
     * lock order every transaction follows: blob record, repository, link ({@code docs/architecture.md},
     * "Lock order"). A garbage-collection review that holds the record makes this wait, and once
     * the review removed it the link is refused here, by name, rather than by the foreign key after the
     * link row was written.
     */
    @Override
    public void linkBlob(RepositoryName repository, Digest digest) {
        boolean recorded = statements.query("lock_blob_to_link", "SELECT 1 FROM blobs WHERE digest = ?" + lockClause,
                statement -> statement.setString(1, digest.toString()), ResultSet::next);
        if (!recorded) {
            throw new MetadataException("blob " + digest + " is not recorded (garbage collection removed it); it cannot be linked", null);
        }
        long repositoryId = ensureRepository(repository);
        statements.update("link_blob", """
                INSERT INTO repository_blobs (repository_id, digest, linked_at) VALUES (?, ?, ?)
                ON CONFLICT (repository_id, digest) DO UPDATE SET linked_at = excluded.linked_at""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                    statement.setLong(3, now());
                });
        changes.linked(repositoryId, digest);
    }

    /**
     * Inside a transaction, share-locks the blob record, the repository and the link, in that order
     * (the lock order): PostgreSQL locks joined rows in the order {@code FROM} names their tables.
     */
    @Override
    public OptionalLong linkedBlobSize(RepositoryName repository, Digest digest) {
        return statements.query("linked_blob_size", """
                SELECT b.size FROM blobs b
                  CROSS JOIN repositories r
                  JOIN repository_blobs l ON l.repository_id = r.id AND l.digest = b.digest
                WHERE r.name = ? AND l.digest = ?""" + lockClause,
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                },
                rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty());
    }

    @Override
    public Optional<LinkedBlob> linkedBlob(RepositoryName repository, Digest digest) {
        return statements.query("linked_blob", """
                SELECT b.size, b.mirror_generation, l.repository_id, l.linked_at FROM blobs b
                  CROSS JOIN repositories r
                  JOIN repository_blobs l ON l.repository_id = r.id AND l.digest = b.digest
                WHERE r.name = ? AND l.digest = ?""" + lockClause,
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                },
                rows -> {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    long size = rows.getLong(1);
                    long generation = rows.getLong(2);
                    OptionalLong mirrorGeneration = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(generation);
                    return Optional.of(new LinkedBlob(size, mirrorGeneration, rows.getLong(3), Instant.ofEpochMilli(rows.getLong(4))));
                });
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest digest) {
        boolean unlinked = statements.update("unlink_blob", """
                DELETE FROM repository_blobs
                WHERE repository_id = (SELECT id FROM repositories WHERE name = ?) AND digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                }) > 0;
        if (unlinked) {
            changes.unlinked(repository, digest);
        }
        return unlinked;
    }

    // --- manifests ------------------------------------------------------------------------------

    @Override
    public void putManifest(RepositoryName repository, ManifestRecord manifest) {
        long repositoryId = ensureRepository(repository);
        int inserted = statements.update("insert_manifest", """
                INSERT INTO manifests (repository_id, digest, media_type, artifact_type, subject_digest, annotations,
                                       content, size, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, manifest.digest().toString());
                    statement.setString(3, manifest.mediaType());
                    statement.setString(4, manifest.artifactType().orElse(null));
                    statement.setString(5, manifest.subject().map(Digest::toString).orElse(null));
                    statement.setString(6, toJson(manifest.annotations()));
                    statement.setBytes(7, manifest.content());
                    statement.setLong(8, manifest.content().length);
                    statement.setLong(9, now());
                });
        if (inserted == 0) {
            markPushedAgain(repositoryId, manifest.digest());
            return;
        }
        insertReferences(repositoryId, manifest.digest(), manifest.blobReferences(), "blob");
        insertReferences(repositoryId, manifest.digest(), manifest.manifestReferences(), "manifest");
        changes.manifestStored(repositoryId, manifest.digest());
    }

    /** Records that a manifest already stored was pushed again, at most once a minute per manifest. */
    private void markPushedAgain(long repositoryId, Digest digest) {
        long now = now();
        statements.update("manifest_pushed_again", """
                UPDATE manifests SET pushed_at = ?
                WHERE repository_id = ? AND digest = ? AND COALESCE(pushed_at, created_at) < ?""",
                statement -> {
                    statement.setLong(1, now);
                    statement.setLong(2, repositoryId);
                    statement.setString(3, digest.toString());
                    statement.setLong(4, now - 60_000);
                });
    }

    private void insertReferences(long repositoryId, Digest manifest, List<Digest> targets, String kind) {
        statements.updateEach("insert_manifest_references", """
                INSERT INTO manifest_references (repository_id, manifest_digest, target_digest, target_kind)
                VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                targets,
                (statement, target) -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, manifest.toString());
                    statement.setString(3, target.toString());
                    statement.setString(4, kind);
                });
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Digest digest) {
        return statements.query("manifest_by_digest", """
                SELECT m.media_type, m.content FROM repositories r
                  JOIN manifests m ON m.repository_id = r.id
                WHERE r.name = ? AND m.digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                },
                rows -> rows.next() ? Optional.of(new StoredManifest(digest, rows.getString(1), rows.getBytes(2)))
                        : Optional.empty());
    }

    @Override
    public Optional<StoredManifest> manifestByTag(RepositoryName repository, Tag tag) {
        return statements.query("manifest_by_tag", """
                SELECT m.digest, m.media_type, m.content FROM repositories r
                  JOIN tags t ON t.repository_id = r.id
                  JOIN manifests m ON m.repository_id = t.repository_id AND m.digest = t.manifest_digest
                WHERE r.name = ? AND t.name = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, tag.value());
                },
                rows -> rows.next()
                        ? Optional.of(new StoredManifest(Digest.parse(rows.getString(1)), rows.getString(2), rows.getBytes(3)))
                        : Optional.empty());
    }

    @Override
    public boolean manifestExists(RepositoryName repository, Digest digest) {
        return statements.query("manifest_exists", """
                SELECT 1 FROM repositories r JOIN manifests m ON m.repository_id = r.id
                WHERE r.name = ? AND m.digest = ?""" + lockClause,
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                }, ResultSet::next);
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        changes.manifestDeleting(repository, digest);
        return statements.update("delete_manifest", """
                DELETE FROM manifests
                WHERE repository_id = (SELECT id FROM repositories WHERE name = ?) AND digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                }) > 0;
    }

    @Override
    public List<ReferrerRecord> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        return statements.query("list_referrers", """
                SELECT m.digest, m.media_type, m.size, m.artifact_type, m.annotations FROM repositories r
                  JOIN manifests m ON m.repository_id = r.id
                WHERE r.name = ? AND m.subject_digest = ? AND (? IS NULL OR m.artifact_type = ?)
                ORDER BY m.digest""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, subject.toString());
                    statement.setString(3, artifactType.orElse(null));
                    statement.setString(4, artifactType.orElse(null));
                },
                SqlStatements.allRows(row -> new ReferrerRecord(Digest.parse(row.getString(1)), row.getString(2),
                        row.getLong(3), Optional.ofNullable(row.getString(4)), fromJson(row.getString(5)))));
    }

    // --- tags -----------------------------------------------------------------------------------

    @Override
    public Optional<Digest> setTag(RepositoryName repository, Tag tag, Digest manifest) {
        long repositoryId = ensureRepository(repository);
        Optional<Digest> previous = statements.query("tag_target", "SELECT manifest_digest FROM tags WHERE repository_id = ? AND name = ?",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, tag.value());
                },
                rows -> rows.next() ? Optional.of(Digest.parse(rows.getString(1))) : Optional.empty());
        if (previous.isPresent() && !previous.get().equals(manifest)) {
            changes.tagMovedFrom(repositoryId, previous.get());
        }
        statements.update("upsert_tag", """
                INSERT INTO tags (repository_id, name, manifest_digest, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (repository_id, name) DO UPDATE
                  SET manifest_digest = excluded.manifest_digest, updated_at = excluded.updated_at""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, tag.value());
                    statement.setString(3, manifest.toString());
                    statement.setLong(4, now());
                });
        return previous;
    }

    @Override
    public Optional<Digest> setTagIfAbsent(RepositoryName repository, Tag tag, Digest manifest) {
        long repositoryId = ensureRepository(repository);
        int inserted = statements.update("insert_tag_if_absent", """
                INSERT INTO tags (repository_id, name, manifest_digest, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (repository_id, name) DO NOTHING""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, tag.value());
                    statement.setString(3, manifest.toString());
                    statement.setLong(4, now());
                });
        if (inserted > 0) {
            return Optional.empty();
        }
        return lockTag(repository, tag);
    }

    @Override
    public Optional<Digest> lockTag(RepositoryName repository, Tag tag) {
        return statements.query("lock_tag", """
                SELECT t.manifest_digest FROM tags t
                WHERE t.repository_id = (SELECT id FROM repositories WHERE name = ?) AND t.name = ?""" + updateClause,
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, tag.value());
                },
                rows -> rows.next() ? Optional.of(Digest.parse(rows.getString(1))) : Optional.empty());
    }

    @Override
    public List<String> lockTagsOf(RepositoryName repository, Digest manifest) {
        statements.query("lock_manifest", """
                SELECT m.digest FROM manifests m
                WHERE m.repository_id = (SELECT id FROM repositories WHERE name = ?) AND m.digest = ?""" + updateClause,
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, manifest.toString());
                }, ResultSet::next);
        return tagsOf(repository, manifest);
    }

    @Override
    public boolean deleteTag(RepositoryName repository, Tag tag) {
        changes.tagDeleting(repository, tag);
        return statements.update("delete_tag", """
                DELETE FROM tags WHERE repository_id = (SELECT id FROM repositories WHERE name = ?) AND name = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, tag.value());
                }) > 0;
    }

    @Override
    public List<String> tagsOf(RepositoryName repository, Digest manifest) {
        return statements.query("tags_of", """
                SELECT t.name FROM tags t JOIN repositories r ON r.id = t.repository_id
                WHERE r.name = ? AND t.manifest_digest = ? ORDER BY t.name""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, manifest.toString());
                },
                SqlStatements.STRINGS);
    }

    @Override
    public Optional<Instant> manifestStoredAt(RepositoryName repository, Digest digest) {
        return statements.query("manifest_stored_at", """
                SELECT m.created_at FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                },
                rows -> rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.empty());
    }

    @Override
    public void recordPusher(RepositoryName repository, Digest digest, String principal) {
        statements.update("record_pusher", """
                UPDATE manifests SET pushed_by = ?
                WHERE repository_id = (SELECT id FROM repositories WHERE name = ?) AND digest = ? AND pushed_by IS NULL""",
                statement -> {
                    statement.setString(1, principal);
                    statement.setString(2, repository.value());
                    statement.setString(3, digest.toString());
                });
    }

    @Override
    public Optional<String> pusher(RepositoryName repository, Digest digest) {
        return statements.query("manifest_pusher", """
                SELECT m.pushed_by FROM manifests m JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                },
                rows -> rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty());
    }

    @Override
    public List<String> listTags(RepositoryName repository, Optional<String> after, int limit) {
        return statements.query("list_tags", """
                SELECT t.name FROM repositories r JOIN tags t ON t.repository_id = r.id
                WHERE r.name = ? AND t.name > ? ORDER BY t.name LIMIT ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, after.orElse(""));
                    statement.setInt(3, limit);
                },
                SqlStatements.STRINGS);
    }

    /** SQLite's {@code PRAGMA synchronous} on this session's connection (2 is FULL); for tests. */
    int synchronousSetting() {
        return statements.query("synchronous_setting", "PRAGMA synchronous", SqlStatements.NO_PARAMETERS,
                rows -> {
                    rows.next();
                    return rows.getInt(1);
                });
    }

    // --- the other aggregates, on the same connection ----------------------------------------------

    @Override
    public UploadQueries uploads() {
        return uploads;
    }

    @Override
    public RobotQueries robots() {
        return robots;
    }

    @Override
    public SigningKeyQueries signingKeys() {
        return signingKeys;
    }

    @Override
    public MirrorQueries mirrors() {
        return mirrors;
    }

    @Override
    public PromotionQueries promotions() {
        return promotions;
    }

    @Override
    public IntegrityQueries integrity() {
        return integrity;
    }

    @Override
    public GcQueries gc() {
        return gc;
    }

    @Override
    public MaintenanceQueries maintenance() {
        return maintenance;
    }

    @Override
    public QuotaQueries quotas() {
        return quotas;
    }

    @Override
    public OutboxQueries outbox() {
        return outbox;
    }

    @Override
    public AuditQueries audit() {
        return audit;
    }

    // --- plumbing -------------------------------------------------------------------------------

    private long now() {
        return clock.millis();
    }

    private static String toJson(Map<String, String> annotations) {
        try {
            return JSON.writeValueAsString(annotations);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored annotations are not JSON", e);
        }
    }
}
