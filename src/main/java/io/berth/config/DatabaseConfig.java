package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A PostgreSQL database for metadata, shared by every Berth node. Without this section Berth keeps
 * metadata in SQLite inside the data directory.
 *
 * @param url      JDBC URL, e.g. {@code jdbc:postgresql://db.example.org:5432/berth}
 * @param user     database user
 * @param password database password (empty for trust or peer authentication)
 * @param schema   schema holding Berth's tables, created and migrated on start
 * @param poolSize connections per node
 */
public record DatabaseConfig(
        @JsonProperty("url") String url,
        @JsonProperty("user") String user,
        @JsonProperty("password") String password,
        @JsonProperty("schema") String schema,
        @JsonProperty("pool-size") Integer poolSize) {

    public static final String DEFAULT_SCHEMA = "berth";
    public static final int DEFAULT_POOL_SIZE = 16;

    public DatabaseConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("database.url must be a jdbc:postgresql: URL");
        }
        user = user == null ? "berth" : user;
        password = password == null ? "" : password;
        schema = schema == null ? DEFAULT_SCHEMA : schema;
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new ConfigException("database.schema must be a lowercase SQL identifier");
        }
        poolSize = poolSize == null ? DEFAULT_POOL_SIZE : poolSize;
        if (poolSize < 1) {
            throw new ConfigException("database.pool-size must be at least 1");
        }
    }
}
