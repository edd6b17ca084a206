package io.berth.metadata;

import java.time.Instant;
import java.util.Optional;

/** The maintenance switch in SQL: the {@code read-only} row of {@code registry_settings}. */
final class SqlMaintenance implements MaintenanceQueries {
    private static final String READ_ONLY = "read-only";

    private final SqlStatements statements;

    SqlMaintenance(SqlStatements statements) {
        this.statements = statements;
    }

    @Override
    public Optional<MaintenanceSwitch> maintenanceSwitch() {
        return statements.query("find_maintenance_switch",
                "SELECT value, changed_by, changed_at FROM registry_settings WHERE name = ?",
                statement -> statement.setString(1, READ_ONLY),
                rows -> rows.next()
                        ? Optional.of(new MaintenanceSwitch(Boolean.parseBoolean(rows.getString(1)), rows.getString(2),
                                Instant.ofEpochMilli(rows.getLong(3))))
                        : Optional.empty());
    }

    @Override
    public void storeMaintenanceSwitch(MaintenanceSwitch value) {
        statements.update("store_maintenance_switch", """
                INSERT INTO registry_settings (name, value, changed_by, changed_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, changed_by = excluded.changed_by,
                                                 changed_at = excluded.changed_at""",
                statement -> {
                    statement.setString(1, READ_ONLY);
                    statement.setString(2, Boolean.toString(value.readOnly()));
                    statement.setString(3, value.changedBy());
                    statement.setLong(4, value.changedAt().toEpochMilli());
                });
    }
}
