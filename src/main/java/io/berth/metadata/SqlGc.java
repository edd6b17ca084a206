package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link GcQueries} in plain SQL for SQLite and PostgreSQL. */
final class SqlGc implements GcQueries {
    private final SqlStatements statements;
    private final String claimLock;

    private final SqlChangeNotes changes;

    SqlGc(SqlStatements statements, SqlDialect dialect, SqlChangeNotes changes) {
        this.statements = statements;
        this.claimLock = dialect.claimLock();
        this.changes = changes;
    }

    // --- finding ----------------------------------------------------------------------------------

    @Override
    public int queueUnreferencedLinks(long graceMillis) {
        return statements.update("queue_unreferenced_links", """
                INSERT INTO gc_reviews (kind, repository_id, digest, review_after)
                SELECT 'link', l.repository_id, l.digest, l.linked_at + ? FROM repository_blobs l
                WHERE NOT EXISTS (SELECT 1 FROM manifest_references x
                                  WHERE x.repository_id = l.repository_id AND x.target_digest = l.digest)
                ON CONFLICT DO NOTHING""",
                statement -> statement.setLong(1, graceMillis));
    }

    @Override
    public int queueUnlinkedBlobs(Instant now) {
        return statements.update("queue_unlinked_blobs", """
                INSERT INTO gc_reviews (kind, repository_id, digest, review_after)
                SELECT 'blob', 0, b.digest, ? FROM blobs b
                WHERE NOT EXISTS (SELECT 1 FROM repository_blobs l WHERE l.digest = b.digest)
                ON CONFLICT DO NOTHING""",
                statement -> statement.setLong(1, now.toEpochMilli()));
    }

    @Override
    public int queueUntaggedManifests(Instant storedBefore, Instant now) {
        return statements.update("queue_untagged_manifests", """
                INSERT INTO gc_reviews (kind, repository_id, digest, review_after)
                SELECT 'manifest', m.repository_id, m.digest, ? FROM manifests m
                WHERE COALESCE(m.pushed_at, m.created_at) < ?
                  AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.repository_id = m.repository_id AND t.manifest_digest = m.digest)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references x
                                  WHERE x.repository_id = m.repository_id AND x.target_digest = m.digest)
                ON CONFLICT DO NOTHING""",
                statement -> {
                    statement.setLong(1, now.toEpochMilli());
                    statement.setLong(2, storedBefore.toEpochMilli());
                });
    }

    @Override
    public int queueEmptyRepositories(long graceMillis) {
        return statements.update("queue_empty_repositories", """
                INSERT INTO gc_reviews (kind, repository_id, digest, review_after)
                SELECT 'repository', r.id, '', r.created_at + ? FROM repositories r
                WHERE NOT EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id)
                  AND NOT EXISTS (SELECT 1 FROM repository_blobs l WHERE l.repository_id = r.id)
                ON CONFLICT DO NOTHING""",
                statement -> statement.setLong(1, graceMillis));
    }

    @Override
    public List<GcReview> takeChanges(int limit) {
        return changes.take(limit);
    }

    @Override
    public void noteUnlinkedBlob(Digest digest) {
        changes.blobLeftUnlinked(digest);
    }

    @Override
    public Optional<Instant> lastSweep() {
        return statements.query("last_sweep", "SELECT swept_at FROM gc_sweeps WHERE id = 1",
                SqlStatements.NO_PARAMETERS, SqlGc::firstInstant);
    }

    @Override
    public void recordSweep(Instant at) {
        statements.update("record_sweep", """
                INSERT INTO gc_sweeps (id, swept_at) VALUES (1, ?)
                ON CONFLICT (id) DO UPDATE SET swept_at = excluded.swept_at""",
                statement -> statement.setLong(1, at.toEpochMilli()));
    }

    @Override
    public void queue(GcReview review, Instant due) {
        statements.update("queue_review", """
                INSERT INTO gc_reviews (kind, repository_id, digest, review_after) VALUES (?, ?, ?, ?)
                ON CONFLICT (kind, repository_id, digest) DO UPDATE SET review_after = excluded.review_after
                WHERE excluded.review_after < gc_reviews.review_after""",
                statement -> {
                    statement.setString(1, review.kind().column());
                    statement.setLong(2, review.repositoryId());
                    statement.setString(3, review.digest());
                    statement.setLong(4, due.toEpochMilli());
                });
    }

    @Override
    public List<GcReview> referencesOf(long repositoryId, Digest manifest) {
        return statements.query("references_of", """
                SELECT target_kind, target_digest FROM manifest_references
                WHERE repository_id = ? AND manifest_digest = ? ORDER BY target_kind, target_digest""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, manifest.toString());
                },
                SqlStatements.allRows(row -> new GcReview("blob".equals(row.getString(1)) ? ReviewKind.LINK : ReviewKind.MANIFEST,
                        repositoryId, row.getString(2))));
    }

    // --- the queue ----------------------------------------------------------------------------------

    @Override
    public List<GcReview> claimDue(ReviewKind kind, Instant now, int limit) {
        return statements.query("claim_due_reviews", """
                SELECT repository_id, digest FROM gc_reviews WHERE kind = ? AND review_after <= ?
                ORDER BY review_after LIMIT ?""" + claimLock,
                statement -> {
                    statement.setString(1, kind.column());
                    statement.setLong(2, now.toEpochMilli());
                    statement.setInt(3, limit);
                },
                SqlStatements.allRows(row -> new GcReview(kind, row.getLong(1), row.getString(2))));
    }

    @Override
    public void dropReview(GcReview review) {
        statements.update("drop_review", "DELETE FROM gc_reviews WHERE kind = ? AND repository_id = ? AND digest = ?",
                statement -> {
                    statement.setString(1, review.kind().column());
                    statement.setLong(2, review.repositoryId());
                    statement.setString(3, review.digest());
                });
    }

    @Override
    public void reschedule(GcReview review, Instant due) {
        statements.update("reschedule_review", """
                UPDATE gc_reviews SET review_after = ? WHERE kind = ? AND repository_id = ? AND digest = ?""",
                statement -> {
                    statement.setLong(1, due.toEpochMilli());
                    statement.setString(2, review.kind().column());
                    statement.setLong(3, review.repositoryId());
                    statement.setString(4, review.digest());
                });
    }

    @Override
    public long queuedReviews() {
        return statements.query("queued_reviews", "SELECT COUNT(*) FROM gc_reviews", SqlStatements.NO_PARAMETERS,
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                });
    }

    // --- links ----------------------------------------------------------------------------------------

    @Override
    public Optional<Instant> lockLink(long repositoryId, Digest digest) {
        return statements.query("lock_link",
                "SELECT linked_at FROM repository_blobs WHERE repository_id = ? AND digest = ?" + claimLock,
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                },
                SqlGc::firstInstant);
    }

    @Override
    public boolean linkReferenced(long repositoryId, Digest digest) {
        return statements.query("link_referenced", """
                SELECT 1 FROM manifest_references WHERE repository_id = ? AND target_digest = ? AND target_kind = 'blob'""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                }, ResultSet::next);
    }

    @Override
    public void deleteLink(long repositoryId, Digest digest) {
        statements.update("gc_delete_link", "DELETE FROM repository_blobs WHERE repository_id = ? AND digest = ?",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                });
    }

    @Override
    public boolean touchLink(long repositoryId, Digest digest, Instant now) {
        return statements.update("touch_link", "UPDATE repository_blobs SET linked_at = ? WHERE repository_id = ? AND digest = ?",
                statement -> {
                    statement.setLong(1, now.toEpochMilli());
                    statement.setLong(2, repositoryId);
                    statement.setString(3, digest.toString());
                }) > 0;
    }

    // --- blobs ----------------------------------------------------------------------------------------

    @Override
    public OptionalLong lockBlob(Digest digest) {
        return statements.query("lock_blob", "SELECT size FROM blobs WHERE digest = ?" + claimLock,
                statement -> statement.setString(1, digest.toString()),
                rows -> rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty());
    }

    @Override
    public boolean blobLinked(Digest digest) {
        return statements.query("blob_linked", "SELECT 1 FROM repository_blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()), ResultSet::next);
    }

    @Override
    public void beginBlobDeletion(Digest digest, long size, Instant now) {
        statements.update("gc_delete_blob", "DELETE FROM blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()));
        statements.update("begin_blob_deletion", """
                INSERT INTO gc_blob_deletions (digest, size, started_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""",
                statement -> {
                    statement.setString(1, digest.toString());
                    statement.setLong(2, size);
                    statement.setLong(3, now.toEpochMilli());
                });
    }

    @Override
    public List<RemovedBlob> claimUnfinishedDeletions(Instant startedBefore, int limit) {
        return statements.query("claim_unfinished_deletions", """
                SELECT digest, size, started_at FROM gc_blob_deletions WHERE started_at < ?
                ORDER BY started_at LIMIT ?""" + claimLock,
                statement -> {
                    statement.setLong(1, startedBefore.toEpochMilli());
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(SqlGc::removedBlob));
    }

    @Override
    public void finishBlobDeletion(Digest digest, long size, Instant now) {
        statements.update("finish_blob_deletion", "DELETE FROM gc_blob_deletions WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()));
        statements.update("remember_removal", """
                INSERT INTO gc_removed_blobs (digest, size, removed_at) VALUES (?, ?, ?)
                ON CONFLICT (digest) DO UPDATE SET size = excluded.size, removed_at = excluded.removed_at""",
                statement -> {
                    statement.setString(1, digest.toString());
                    statement.setLong(2, size);
                    statement.setLong(3, now.toEpochMilli());
                });
    }

    @Override
    public boolean blobDeletionPending(Digest digest) {
        return statements.query("blob_deletion_pending", "SELECT 1 FROM gc_blob_deletions WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()), ResultSet::next);
    }

    @Override
    public Optional<Instant> blobRemovedAt(Digest digest) {
        return statements.query("blob_removed_at", "SELECT removed_at FROM gc_removed_blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()), SqlGc::firstInstant);
    }

    @Override
    public void forgetRemoval(Digest digest) {
        statements.update("forget_removal", "DELETE FROM gc_removed_blobs WHERE digest = ?",
                statement -> statement.setString(1, digest.toString()));
    }

    @Override
    public List<RemovedBlob> removalsBefore(Instant before, int limit) {
        return statements.query("removals_before", """
                SELECT digest, size, removed_at FROM gc_removed_blobs WHERE removed_at < ?
                ORDER BY removed_at, digest LIMIT ?""",
                statement -> {
                    statement.setLong(1, before.toEpochMilli());
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(SqlGc::removedBlob));
    }

    @Override
    public int forgetRemovalsBefore(Instant before) {
        return statements.update("forget_removals_before", "DELETE FROM gc_removed_blobs WHERE removed_at < ?",
                statement -> statement.setLong(1, before.toEpochMilli()));
    }

    // --- manifests ------------------------------------------------------------------------------------

    @Override
    public Optional<Instant> lockManifest(long repositoryId, Digest digest) {
        return statements.query("lock_manifest",
                "SELECT COALESCE(pushed_at, created_at) FROM manifests WHERE repository_id = ? AND digest = ?" + claimLock,
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                },
                SqlGc::firstInstant);
    }

    @Override
    public boolean manifestKept(long repositoryId, Digest digest) {
        return kept("manifest_kept", TAGGED + " OR " + KEPT_BESIDES_TAGS, repositoryId, digest);
    }

    @Override
    public boolean manifestKeptBesidesTags(long repositoryId, Digest digest) {
        return kept("manifest_kept_besides_tags", KEPT_BESIDES_TAGS, repositoryId, digest);
    }

    private static final String TAGGED =
            "EXISTS (SELECT 1 FROM tags t WHERE t.repository_id = m.repository_id AND t.manifest_digest = m.digest)";
    private static final String KEPT_BESIDES_TAGS = """
               EXISTS (SELECT 1 FROM manifest_references x WHERE x.repository_id = m.repository_id
                       AND x.target_digest = m.digest AND x.target_kind = 'manifest')
            OR EXISTS (SELECT 1 FROM manifests s WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest)
            OR EXISTS (SELECT 1 FROM manifests r JOIN tags t ON t.repository_id = r.repository_id AND t.manifest_digest = r.digest
                       WHERE r.repository_id = m.repository_id AND r.subject_digest = m.digest)
            OR EXISTS (SELECT 1 FROM promotions p JOIN repositories n ON n.id = m.repository_id
                       WHERE p.source_digest = m.digest AND p.outcome = 'promoted'
                         AND (p.source_repository = n.name OR p.target_repository = n.name))""";

    private boolean kept(String name, String condition, long repositoryId, Digest digest) {
        return statements.query(name, "SELECT 1 FROM manifests m WHERE m.repository_id = ? AND m.digest = ? AND (" + condition + ")",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                }, ResultSet::next);
    }

    @Override
    public void deleteManifest(long repositoryId, Digest digest) {
        statements.update("gc_delete_manifest", "DELETE FROM manifests WHERE repository_id = ? AND digest = ?",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                });
    }

    @Override
    public boolean manifestPromoted(long repositoryId, Digest digest) {
        return statements.query("manifest_promoted", """
                SELECT 1 FROM promotions p JOIN repositories n ON n.id = ?
                WHERE p.source_digest = ? AND p.outcome = 'promoted'
                  AND (p.source_repository = n.name OR p.target_repository = n.name)""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                }, ResultSet::next);
    }

    // --- repositories -----------------------------------------------------------------------------

    @Override
    public Optional<Instant> lockRepository(long repositoryId) {
        return statements.query("lock_repository", "SELECT created_at FROM repositories WHERE id = ?" + claimLock,
                statement -> statement.setLong(1, repositoryId), SqlGc::firstInstant);
    }

    @Override
    public boolean repositoryEmpty(long repositoryId) {
        return statements.query("repository_empty", """
                SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM manifests WHERE repository_id = ?)
                           AND NOT EXISTS (SELECT 1 FROM repository_blobs WHERE repository_id = ?)""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setLong(2, repositoryId);
                }, ResultSet::next);
    }

    @Override
    public void deleteRepository(long repositoryId) {
        statements.update("gc_delete_repository", "DELETE FROM repositories WHERE id = ?",
                statement -> statement.setLong(1, repositoryId));
    }

    @Override
    public List<RepositoryRecord> repositories(long afterId, int limit) {
        return statements.query("repositories_by_id", "SELECT id, name FROM repositories WHERE id > ? ORDER BY id LIMIT ?",
                statement -> {
                    statement.setLong(1, afterId);
                    statement.setInt(2, limit);
                },
                SqlStatements.allRows(row -> new RepositoryRecord(row.getLong(1), new RepositoryName(row.getString(2)))));
    }

    // --- retention ------------------------------------------------------------------------------------

    @Override
    public List<TagRecord> tags(long repositoryId) {
        return statements.query("tags_by_age", """
                SELECT name, manifest_digest, updated_at FROM tags WHERE repository_id = ? ORDER BY updated_at DESC, name""",
                statement -> statement.setLong(1, repositoryId),
                SqlStatements.allRows(row -> new TagRecord(row.getString(1), Digest.parse(row.getString(2)),
                        Instant.ofEpochMilli(row.getLong(3)))));
    }

    @Override
    public boolean deleteTagIfUnchanged(long repositoryId, String tag, Digest manifest) {
        return statements.update("delete_tag_if_unchanged", """
                DELETE FROM tags WHERE repository_id = ? AND name = ? AND manifest_digest = ?""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, tag);
                    statement.setString(3, manifest.toString());
                }) > 0;
    }

    @Override
    public boolean manifestTagged(long repositoryId, Digest manifest) {
        return statements.query("manifest_tagged", "SELECT 1 FROM tags WHERE repository_id = ? AND manifest_digest = ?",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, manifest.toString());
                }, ResultSet::next);
    }

    // --- planning -------------------------------------------------------------------------------------

    @Override
    public List<GcReview> unreferencedLinks(Instant linkedBefore) {
        return statements.query("plan_unreferenced_links", """
                SELECT l.repository_id, l.digest FROM repository_blobs l WHERE l.linked_at < ?
                  AND NOT EXISTS (SELECT 1 FROM manifest_references x
                                  WHERE x.repository_id = l.repository_id AND x.target_digest = l.digest)""",
                statement -> statement.setLong(1, linkedBefore.toEpochMilli()),
                SqlStatements.allRows(row -> new GcReview(ReviewKind.LINK, row.getLong(1), row.getString(2))));
    }

    @Override
    public List<GcReview> untaggedManifests(Instant storedBefore) {
        return statements.query("plan_untagged_manifests", """
                SELECT m.repository_id, m.digest FROM manifests m WHERE COALESCE(m.pushed_at, m.created_at) < ?
                  AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.repository_id = m.repository_id AND t.manifest_digest = m.digest)""",
                statement -> statement.setLong(1, storedBefore.toEpochMilli()),
                SqlStatements.allRows(row -> new GcReview(ReviewKind.MANIFEST, row.getLong(1), row.getString(2))));
    }

    @Override
    public Optional<Instant> manifestPushedAt(long repositoryId, Digest digest) {
        return statements.query("manifest_pushed_at",
                "SELECT COALESCE(pushed_at, created_at) FROM manifests WHERE repository_id = ? AND digest = ?",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, digest.toString());
                },
                SqlGc::firstInstant);
    }

    @Override
    public List<RecordedBlob> unlinkedBlobs() {
        return statements.query("plan_unlinked_blobs", """
                SELECT b.digest, b.size FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM repository_blobs l WHERE l.digest = b.digest)""",
                SqlStatements.NO_PARAMETERS,
                SqlStatements.allRows(row -> new RecordedBlob(Digest.parse(row.getString(1)), row.getLong(2))));
    }

    @Override
    public List<Digest> blobReferencesOf(long repositoryId, Digest manifest) {
        return statements.query("plan_blob_references_of", """
                SELECT target_digest FROM manifest_references
                WHERE repository_id = ? AND manifest_digest = ? AND target_kind = 'blob'""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, manifest.toString());
                },
                SqlStatements.allRows(row -> Digest.parse(row.getString(1))));
    }

    @Override
    public List<Digest> manifestsReferencing(long repositoryId, Digest blob) {
        return statements.query("plan_manifests_referencing", """
                SELECT manifest_digest FROM manifest_references WHERE repository_id = ? AND target_digest = ?""",
                statement -> {
                    statement.setLong(1, repositoryId);
                    statement.setString(2, blob.toString());
                },
                SqlStatements.allRows(row -> Digest.parse(row.getString(1))));
    }

    @Override
    public List<BlobLink> linksOf(Digest blob) {
        return statements.query("plan_links_of", "SELECT repository_id, linked_at FROM repository_blobs WHERE digest = ?",
                statement -> statement.setString(1, blob.toString()),
                SqlStatements.allRows(row -> new BlobLink(row.getLong(1), Instant.ofEpochMilli(row.getLong(2)))));
    }

    // --- mirror generations ---------------------------------------------------------------------------

    @Override
    public int deleteEmptyGenerations() {
        return statements.update("delete_empty_generations", """
                DELETE FROM mirror_generations
                WHERE published_at IS NOT NULL
                  AND generation < (SELECT MAX(generation) FROM mirror_generations WHERE published_at IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.mirror_generation = mirror_generations.generation)""",
                SqlStatements.NO_PARAMETERS);
    }

    // --- plumbing -------------------------------------------------------------------------------------

    private static Optional<Instant> firstInstant(ResultSet rows) throws java.sql.SQLException {
        return rows.next() ? Optional.of(Instant.ofEpochMilli(rows.getLong(1))) : Optional.empty();
    }

    private static RemovedBlob removedBlob(ResultSet row) throws java.sql.SQLException {
        return new RemovedBlob(Digest.parse(row.getString(1)), row.getLong(2), Instant.ofEpochMilli(row.getLong(3)));
    }
}
