package io.berth.gc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The garbage-collection benchmarks behind {@code bench/gc} ({@code docs/benchmarks.md}, "Garbage
 * collection under load"):
 * <ul>
 *   <li>{@code pass [--blobs N]}: one pass over N unreferenced blobs, on SQLite and on PostgreSQL;</li>
 *   <li>{@code push [--seconds S]}: acknowledged pushes per second with passes running back to back,
 *       beside the same pushes without them, on SQLite + filesystem and on three nodes over
 *       PostgreSQL + S3Proxy;</li>
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
            System.err.println("usage: bench/gc pass [--blobs N] | push [--seconds S] | soak [--seconds S]"
                    + " [--setup sqlite|postgresql] [--workers W]");
            System.exit(2);
        }
        String command = arguments[0];
        int blobs = Integer.parseInt(option(arguments, "--blobs", "100000"));
        Duration load = Duration.ofSeconds(Long.parseLong(option(arguments, "--seconds", command.equals("soak") ? "180" : "30")));
        int workers = Integer.parseInt(option(arguments, "--workers", "6"));
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
                    pushes("1 node, SQLite + filesystem", load, workers, false);
                }
                if (postgresql) {
                    pushes("3 nodes, PostgreSQL + S3 (S3Proxy)", load, workers, true);
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

    /** Pushes without passes, then with passes back to back (fresh nodes each time), and prints the ratio. */
    private static void pushes(String setup, Duration load, int workers, boolean postgresql) throws Exception {
        List<SoakReport> runs = new ArrayList<>();
        for (boolean collecting : new boolean[] {false, true}) {
            try (SoakNodes nodes = postgresql ? SoakNodes.postgresqlAndS3(3) : SoakNodes.sqliteAndFilesystem()) {
                runs.add(new GcSoak(nodes, SoakPlan.pushes(load, workers, collecting, 3)).run());
            }
        }
        double without = perSecond(runs.get(0));
        double with = perSecond(runs.get(1));
        System.out.printf("%s, %d clients, %d s each: %.1f acknowledged pushes/s without gc, %.1f with passes back to back"
                        + " (%d passes); ratio %.2f; not acknowledged: %d without, %d with%n", setup, workers, load.toSeconds(),
                without, with, runs.get(1).gcPasses(), with / without, runs.get(0).refused(), runs.get(1).refused());
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
