package io.berth.cli;

/**
 * Every exit status {@code berth} ends with, in one place; docs/operations.md ("Exit codes") lists
 * them for operators and service managers. Statuses 4 to 8 are start-up problems a person must fix
 * before a retry can succeed: a systemd unit may name them in {@code RestartPreventExitStatus=}.
 */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The operation failed, or found problems ({@code fsck}), or was refused (a promotion gate). */
    public static final int FAILED = 1;
    /** Bad command-line usage: an unknown option, a missing or malformed argument. */
    public static final int USAGE = 2;
    /** {@code berth fsck} stopped before the end ({@code --stop-after}, or a failing store); run it again to continue. */
    public static final int INCOMPLETE = 3;
    /** The configuration file is missing, unreadable or invalid, or a setting is refused. */
    public static final int CONFIGURATION = 4;
    /** The data directory is missing, not a directory, not writable, or not a Berth data directory. */
    public static final int DATA_DIRECTORY = 5;
    /** The listen address cannot be bound: the port is in use, privileged, or the address is not local. */
    public static final int PORT_UNAVAILABLE = 6;
    /** The metadata database cannot be opened: PostgreSQL down or refusing, wrong credentials, a damaged SQLite file. */
    public static final int DATABASE_UNAVAILABLE = 7;
    /** The TLS certificate or key file is missing, unreadable or invalid. */
    public static final int TLS_FILES = 8;

    /** The statuses every command that works on a registry's data may end with, for its {@code --help}. */
    static final String SUMMARY = "Exit status: 0 done, 1 failed, 2 bad usage, 4 configuration error, 5 no Berth data"
            + " directory there, 7 database unreachable (all: docs/operations.md, \"Exit codes\").";

    private ExitCodes() {
    }
}
