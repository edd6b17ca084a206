package io.berth.metadata;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import io.berth.oci.Tag;
import java.util.List;

/**
 * The change notes of garbage collection ({@code gc_changes}, migration V16), on the session's
 * connection: each change that may leave something unreferenced appends, in its own transaction,
 * the review that something needs; a pass takes the notes into its review queue instead of sweeping
 * every table. Notes are only appended by changes, never updated, so a change never waits here.
 */
final class SqlChangeNotes {
    private final SqlStatements statements;
    private final String claimLock;

    SqlChangeNotes(SqlStatements statements, SqlDialect dialect) {
        this.statements = statements;
        this.claimLock = dialect.claimLock();
    }

    /** A repository was created: it holds nothing until something is pushed into it. */
    void repositoryCreated(long repositoryId) {
        note(ReviewKind.REPOSITORY, repositoryId, "");
    }

    /** A blob was linked (or linked again): no manifest may ever reference the link. */
    void linked(long repositoryId, Digest digest) {
        note(ReviewKind.LINK, repositoryId, digest.toString());
    }

    /** A blob's link was deleted: the blob, and the repository, may hold nothing else. */
    void unlinked(RepositoryName repository, Digest digest) {
        note(ReviewKind.BLOB, 0, digest.toString());
        repositoryChanged(repository);
    }

    /** A manifest was stored: it may never be tagged. */
    void manifestStored(long repositoryId, Digest digest) {
        note(ReviewKind.MANIFEST, repositoryId, digest.toString());
    }

    /** A tag moved away from {@code previous}, which may be untagged now. */
    void tagMovedFrom(long repositoryId, Digest previous) {
        note(ReviewKind.MANIFEST, repositoryId, previous.toString());
    }

    /** Before a tag is deleted: the manifest it names may be untagged then. */
    void tagDeleting(RepositoryName repository, Tag tag) {
        statements.update("note_tag_deletion", """
                INSERT INTO gc_changes (kind, repository_id, digest)
                SELECT 'manifest', t.repository_id, t.manifest_digest FROM tags t
                WHERE t.repository_id = (SELECT id FROM repositories WHERE name = ?) AND t.name = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, tag.value());
                });
    }

    /**
     * Before a manifest is deleted: what it references (blob links, child manifests), the manifests
     * that name it as their subject, and its repository may be unreferenced once it is gone.
     */
    void manifestDeleting(RepositoryName repository, Digest digest) {
        statements.update("note_manifest_deletion", """
                INSERT INTO gc_changes (kind, repository_id, digest)
                SELECT CASE WHEN x.target_kind = 'blob' THEN 'link' ELSE 'manifest' END, x.repository_id, x.target_digest
                FROM manifest_references x
                WHERE x.repository_id = (SELECT id FROM repositories WHERE name = ?) AND x.manifest_digest = ?
                UNION ALL
                SELECT 'manifest', m.repository_id, m.digest FROM manifests m
                WHERE m.repository_id = (SELECT id FROM repositories WHERE name = ?) AND m.subject_digest = ?""",
                statement -> {
                    statement.setString(1, repository.value());
                    statement.setString(2, digest.toString());
                    statement.setString(3, repository.value());
                    statement.setString(4, digest.toString());
                });
        repositoryChanged(repository);
    }

    /** A blob record was left linked nowhere (an upload refused after its commit). */
    void blobLeftUnlinked(Digest digest) {
        note(ReviewKind.BLOB, 0, digest.toString());
    }

    /**
     * Up to {@code limit} notes, oldest first, as reviews, removed from the notes; notes another
     * transaction has taken are skipped.
     */
    List<GcReview> take(int limit) {
        record Note(long id, GcReview review) {
        }
        List<Note> notes = statements.query("take_changes",
                "SELECT id, kind, repository_id, digest FROM gc_changes ORDER BY id LIMIT ?" + claimLock,
                statement -> statement.setInt(1, limit),
                SqlStatements.allRows(row -> new Note(row.getLong(1),
                        new GcReview(ReviewKind.fromColumn(row.getString(2)), row.getLong(3), row.getString(4)))));
        statements.updateEach("drop_changes", "DELETE FROM gc_changes WHERE id = ?", notes,
                (statement, note) -> statement.setLong(1, note.id()));
        return notes.stream().map(Note::review).toList();
    }

    private void note(ReviewKind kind, long repositoryId, String digest) {
        statements.update("note_change", "INSERT INTO gc_changes (kind, repository_id, digest) VALUES (?, ?, ?)",
                statement -> {
                    statement.setString(1, kind.column());
                    statement.setLong(2, repositoryId);
                    statement.setString(3, digest);
                });
    }

    private void repositoryChanged(RepositoryName repository) {
        statements.update("note_repository_change", """
                INSERT INTO gc_changes (kind, repository_id, digest) SELECT 'repository', id, '' FROM repositories
                WHERE name = ?""",
                statement -> statement.setString(1, repository.value()));
    }
}
