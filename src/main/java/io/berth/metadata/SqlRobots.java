package io.berth.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Robot accounts in SQL, on the session's connection. */
final class SqlRobots implements RobotQueries {
    private final SqlStatements statements;

    SqlRobots(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public boolean createRobot(RobotRecord robot) {
        return statements.update("insert_robot", """
                INSERT INTO robots (name, secret_hash, description, created_at, revoked_at, credentials_since)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET secret_hash = excluded.secret_hash, description = excluded.description,
                  created_at = excluded.created_at, revoked_at = excluded.revoked_at,
                  credentials_since = CASE WHEN excluded.credentials_since > robots.credentials_since
                    THEN excluded.credentials_since ELSE robots.credentials_since + 1 END
                WHERE robots.revoked_at IS NOT NULL""",
                statement -> {
                    statement.setString(1, robot.name());
                    statement.setString(2, robot.secretHash());
                    statement.setString(3, robot.description());
                    statement.setLong(4, robot.createdAt().toEpochMilli());
                    if (robot.revokedAt().isPresent()) {
                        statement.setLong(5, robot.revokedAt().get().toEpochMilli());
                    } else {
                        statement.setNull(5, java.sql.Types.BIGINT);
                    }
                    statement.setLong(6, robot.credentialsSince().toEpochMilli());
                }) > 0;
    }

    @Override
    public Optional<RobotRecord> robot(String name) {
        return statements.query("find_robot", "SELECT name, secret_hash, description, created_at, revoked_at, credentials_since FROM robots WHERE name = ?",
                statement -> statement.setString(1, name),
                rows -> rows.next() ? Optional.of(robotRow(rows)) : Optional.empty());
    }

    @Override
    public List<RobotRecord> listRobots() {
        return statements.query("list_robots", "SELECT name, secret_hash, description, created_at, revoked_at, credentials_since FROM robots ORDER BY name",
                SqlStatements.NO_PARAMETERS,
                SqlStatements.allRows(SqlRobots::robotRow));
    }

    @Override
    public boolean revokeRobot(String name, Instant revokedAt) {
        return statements.update("revoke_robot", "UPDATE robots SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                statement -> {
                    statement.setLong(1, revokedAt.toEpochMilli());
                    statement.setString(2, name);
                }) > 0;
    }

    @Override
    public boolean rotateSecret(String name, String secretHash, Instant at) {
        return statements.update("rotate_robot_secret",
                """
                UPDATE robots SET secret_hash = ?,
                  credentials_since = CASE WHEN ? > credentials_since THEN ? ELSE credentials_since + 1 END
                WHERE name = ? AND revoked_at IS NULL""",
                statement -> {
                    statement.setString(1, secretHash);
                    statement.setLong(2, at.toEpochMilli());
                    statement.setLong(3, at.toEpochMilli());
                    statement.setString(4, name);
                }) > 0;
    }

    private static RobotRecord robotRow(ResultSet rows) throws SQLException {
        long revoked = rows.getLong(5);
        Optional<Instant> revokedAt = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
        Instant createdAt = Instant.ofEpochMilli(rows.getLong(4));
        long since = rows.getLong(6);
        return new RobotRecord(rows.getString(1), rows.getString(2), rows.getString(3), createdAt, revokedAt,
                rows.wasNull() ? createdAt : Instant.ofEpochMilli(since));
    }
}
