package io.berth.http;

import io.berth.audit.AuditReader;
import io.berth.audit.RobotAdministration;
import java.util.Map;

/**
 * What Berth's administrative endpoints ({@code /berth/v1/robots}, {@code /berth/v1/audit},
 * {@code /berth/v1/gc}) act on, given by the composition root.
 *
 * @param robots robot accounts, each change audited
 * @param audit  the audit trail
 * @param gc     one garbage-collection pass on demand
 * @param gcStatus what garbage collection on this node does and did last
 */
public record Administration(RobotAdministration robots, AuditReader audit, GarbageCollection gc, GcStatus gcStatus) {

    /** Administration whose garbage collection reports no status. */
    public Administration(RobotAdministration robots, AuditReader audit, GarbageCollection gc) {
        this(robots, audit, gc, () -> "Garbage collection reports nothing here.");
    }

    /** What garbage collection on this node does and did last, in sentences for the web interface's overview. */
    @FunctionalInterface
    public interface GcStatus {
        String describe();
    }

    /** Runs a garbage-collection pass, or plans one, and describes it as JSON fields. */
    @FunctionalInterface
    public interface GarbageCollection {
        /**
         * @param dryRun only list what a pass would remove now, changing nothing
         * @return the pass's figures (a dry run's counts, and at most {@code listed} of each kind of item)
         */
        Map<String, Object> run(boolean dryRun, int listed) throws java.io.IOException;
    }
}
