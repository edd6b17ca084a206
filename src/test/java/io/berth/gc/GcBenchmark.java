package io.berth.gc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The garbage-collection benchmarks behind {@code bench/gc} ({@code docs/benchmarks.md}, "Garbage
 * collection under load"):
 * <ul>
 *   <li>{@code pass [--blobs N]}: one pass over N unreferenced blobs, on SQLite and on PostgreSQL;</li>
 *   <li>{@code push [--seconds S] [--rounds R]}: acknowledged pushes per second with passes running
 *       back to back, beside the same pushes without them (alternating, after a warm-up), on SQLite +
 *       filesystem and on three nodes over PostgreSQL + S3Proxy;</li>
 *   <li>{@code soak [--seconds S]}: {@link GcSoak} on both setups, with its counts.</li>
 * </ul>
 * {@code --setup sqlite} or {@code --setup postgresql} runs one setup only; {@code --workers W} sets
 * the clients.
 */
public final class GcBenchmark {
    private GcBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length == 0) {
            System.err.println("usage: bench/gc pass [--blobs N] | push [--seconds S] [--rounds R] | soak [--seconds S]"
                    + " [--setup sqlite|postgresql] [--workers W]");
            System.exit(2);
        }
        String command = arguments[0];
        int blobs = Integer.parseInt(option(arguments, "--blobs", "100000"));
        Duration load = Duration.ofSeconds(Long.parseLong(option(arguments, "--seconds", command.equals("soak") ? "180" : "30")));
        int workers = Integer.parseInt(option(arguments, "--workers", "6"));
        int rounds = Integer.parseInt(option(arguments, "--rounds", "2"));
        String setup = option(arguments, "--setup", "both");
        boolean sqlite = !setup.equals("postgresql");
        boolean postgresql = !setup.equals("sqlite");
        switch (command) {
            case "pass" -> {
                if (sqlite) {
                    System.out.println(GcPassBenchmark.sqlite(blobs).summary());
                }
                if (postgresql) {
                    System.out.println(GcPassBenchmark.postgresql(blobs).summary());
                }
            }
            case "push" -> {
                if (sqlite) {
                    pushes("1 node, SQLite + filesystem", load, workers, rounds, false);
                }
                if (postgresql) {
                    pushes("3 nodes, PostgreSQL + S3 (S3Proxy)", load, workers, rounds, true);
                }
            }
            case "soak" -> {
                if (sqlite) {
                    try (SoakNodes nodes = SoakNodes.sqliteAndFilesystem()) {
                        System.out.println(new GcSoak(nodes, SoakPlan.mixed(load, workers, 1)).run().summary());
                    }
                }
                if (postgresql) {
                    try (SoakNodes nodes = SoakNodes.postgresqlAndS3(3)) {
                        System.out.println(new GcSoak(nodes, SoakPlan.mixed(load, workers, 2)).run().summary());
                    }
                }
            }
            default -> {
                System.err.println("bench/gc: unknown command " + command + " (pass, push or soak)");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /**
     * Pushes without passes and with passes back to back, alternating over {@code rounds} rounds (fresh
     * nodes each run) after a warm-up run that is not counted, and prints each run and the ratio of
     * the totals: the runs share one JVM, so the first run would otherwise pay for the JIT.
     */
    private static void pushes(String setup, Duration load, int workers, int rounds, boolean postgresql) throws Exception {
        run(postgresql, SoakPlan.pushes(Duration.ofSeconds(10), workers, true, 4));
        long[] acknowledged = new long[2];
        long[] refused = new long[2];
        long passes = 0;
        for (int round = 0; round < rounds; round++) {
            for (int run = 0; run < 2; run++) {
                // Even rounds run without passes first, odd rounds with them first.
                boolean withGc = (run == 1) == (round % 2 == 0);
                SoakReport report = run(postgresql, SoakPlan.pushes(load, workers, withGc, 3 + round));
                int slot = withGc ? 1 : 0;
                acknowledged[slot] += report.pushesAcknowledged();
                refused[slot] += report.refused();
                passes += withGc ? report.gcPasses() : 0;
                System.out.printf("  %s round %d, %s: %.1f acknowledged pushes/s, %d not acknowledged%s%n", setup, round + 1,
                        withGc ? "with gc" : "without gc", report.pushesAcknowledged() / (double) load.toSeconds(),
                        report.refused(), withGc ? " (" + report.gcPasses() + " passes)" : "");
            }
        }
        double seconds = (double) load.toSeconds() * rounds;
        System.out.printf("%s, %d clients, %d rounds of %d s: %.1f acknowledged pushes/s without gc, %.1f with passes back to back"
                        + " (%d passes); ratio %.2f; not acknowledged: %d without, %d with%n", setup, workers, rounds,
                load.toSeconds(), acknowledged[0] / seconds, acknowledged[1] / seconds, passes,
                (double) acknowledged[1] / acknowledged[0], refused[0], refused[1]);
    }

    private static SoakReport run(boolean postgresql, SoakPlan plan) throws Exception {
        try (SoakNodes nodes = postgresql ? SoakNodes.postgresqlAndS3(3) : SoakNodes.sqliteAndFilesystem()) {
            return new GcSoak(nodes, plan).run();
        }
    }

    private static double perSecond(SoakReport report) {
        return report.pushesAcknowledged() / (double) report.load().toSeconds();
    }

    private static String option(String[] arguments, String name, String fallback) {
        for (int i = 1; i < arguments.length - 1; i++) {
            if (arguments[i].equals(name)) {
                return arguments[i + 1];
            }
        }
        return fallback;
    }
}
