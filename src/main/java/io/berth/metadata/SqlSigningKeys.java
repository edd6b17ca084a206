package io.berth.metadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Instant;

/** Published token-signing keys in SQL, on the session's connection. */
final class SqlSigningKeys implements SigningKeyQueries {
    private final SqlStatements statements;

    SqlSigningKeys(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public boolean publishSigningKey(String keyId, String publicJwk, Instant at) {
        statements.update("publish_signing_key", """
                INSERT INTO token_signing_keys (key_id, public_jwk, published_at, last_published_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (key_id) DO UPDATE SET last_published_at = excluded.last_published_at
                WHERE token_signing_keys.public_jwk = excluded.public_jwk""",
                statement -> {
                    statement.setString(1, keyId);
                    statement.setString(2, publicJwk);
                    statement.setLong(3, at.toEpochMilli());
                    statement.setLong(4, at.toEpochMilli());
                });
        return statements.query("find_signing_key", "SELECT public_jwk FROM token_signing_keys WHERE key_id = ?",
                statement -> statement.setString(1, keyId),
                rows -> rows.next() && publicJwk.equals(rows.getString(1)));
    }

    @Override
    public Map<String, String> publishedSigningKeys(Instant since) {
        return statements.query("list_signing_keys",
                "SELECT key_id, public_jwk FROM token_signing_keys WHERE last_published_at >= ? ORDER BY key_id",
                statement -> statement.setLong(1, since.toEpochMilli()),
                rows -> {
                    Map<String, String> keys = new LinkedHashMap<>();
                    while (rows.next()) {
                        keys.put(rows.getString(1), rows.getString(2));
                    }
                    return keys;
                });
    }
}
