package io.berth.metadata;

import java.util.Optional;

/** The read-only maintenance switch, kept in the database so that every node sharing it follows one switch. */
public interface MaintenanceQueries {

    /** The stored switch; empty when nobody has ever switched it (which means read-write). */
    Optional<MaintenanceSwitch> maintenanceSwitch();

    /** Stores the switch, replacing any stored before. */
    void storeMaintenanceSwitch(MaintenanceSwitch value);
}
