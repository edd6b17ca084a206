package io.berth.cli;

import io.berth.config.BerthConfig;
import io.berth.integrity.ByteRate;
import io.berth.integrity.CheckProgress;
import io.berth.integrity.Finding;
import io.berth.integrity.Findings;
import io.berth.integrity.Fsck;
import io.berth.server.IntegrityTools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth fsck [--repair]}: re-hashes every stored blob against its digest and checks the
 * store, the records and the mirror tree against each other ({@code docs/operations.md}, "Checking
 * storage: berth fsck").
 */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Check that every stored blob matches its digest, and that the store, the database and the"
                + " mirror tree agree; with --repair, take bad blobs out of service so that clients push them again.",
                "Exit status: 0 nothing wrong, 1 problems found (and, with --repair, repaired where fsck can),"
                        + " 3 stopped before the end (run again to continue).", ExitCodes.SUMMARY})
final class FsckCommand implements Callable<Integer> {
    static final int CLEAN = ExitCodes.OK;
    static final int PROBLEMS = ExitCodes.FAILED;
    static final int USAGE = ExitCodes.USAGE;
    static final int INCOMPLETE = ExitCodes.INCOMPLETE;

    private static final Pattern BYTE_COUNT = Pattern.compile("(\\d+)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);
    /** Findings of a kind that is not a problem printed one by one; the rest are counted. */
    private static final int LISTED_NOTES = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--repair", description = "Quarantine blobs whose bytes do not match their digest, make the"
            + " database forget blobs the store does not hold intact (so clients push them again), and fix the mirror tree.")
    boolean repair;

    @Option(names = "--restart", description = "Start from the beginning instead of continuing an interrupted check.")
    boolean restart;

    @Option(names = "--max-bytes-per-second", paramLabel = "RATE",
            description = "Read at most this much a second, e.g. 50M or 1G (binary units; default: unlimited).")
    String maxBytesPerSecond;

    @Option(names = "--stop-after", paramLabel = "COUNT",
            description = "Check at most COUNT blobs and mirror files in this run, then save the place and stop (exit 3).")
    Long stopAfter;

    @Option(names = "--mirror-tree", paramLabel = "DIR",
            description = "Also check this mirror tree (default: mirrors.export-directory, when set).")
    Path mirrorTree;

    @Option(names = "--no-mirror-tree", description = "Do not check the mirror tree.")
    boolean noMirrorTree;

    @Option(names = "--quiet", description = "No progress.")
    boolean quiet;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BerthConfig config;
        Fsck.Options options;
        ByteRate rate;
        try {
            // Arguments first: a usage error is reported as one, whatever the data directory holds.
            rate = maxBytesPerSecond == null ? ByteRate.unlimited() : ByteRate.of(parseByteCount(maxBytesPerSecond));
            config = data.config();
            Optional<Path> tree = noMirrorTree ? Optional.empty()
                    : Optional.ofNullable(mirrorTree).or(() -> config.mirrors().export().map(Path::of));
            options = new Fsck.Options(repair, stopAfter == null ? OptionalLong.empty() : OptionalLong.of(stopAfter), tree);
        } catch (IllegalArgumentException e) {
            err.println("berth: " + e.getMessage());
            err.flush();
            return USAGE;
        }
        out.println("berth fsck: checking " + IntegrityTools.describeStore(config)
                + options.mirrorTree().map(tree -> " and the mirror tree " + tree).orElse("")
                + (repair ? ", repairing" : ""));
        out.flush();
        CheckProgress progress = quiet ? CheckProgress.silent()
                : new FsckProgress(System.err, Terminal.standardErrorIsATerminal());
        Fsck.Report report;
        try {
            report = IntegrityTools.fsck(config, options, restart, rate, progress);
        } catch (IOException | UncheckedIOException e) {
            err.println("berth: fsck stopped: " + e.getMessage() + "; its place is saved in "
                    + IntegrityTools.checkpointFile(config) + ", run it again to continue");
            err.flush();
            return INCOMPLETE;
        }
        print(report, out);
        out.flush();
        if (!report.complete()) {
            return INCOMPLETE;
        }
        return report.findings().problems() > 0 ? PROBLEMS : CLEAN;
    }

    private void print(Fsck.Report report, PrintWriter out) {
        report.resumedAfter().ifPresent(where -> out.println("continued an earlier check: " + where));
        Findings findings = report.findings();
        int[] notes = new int[Finding.Kind.values().length];
        for (Finding finding : findings.listed()) {
            if (!finding.kind().problem() && notes[finding.kind().ordinal()]++ >= LISTED_NOTES) {
                continue;
            }
            out.printf("%s %s: %s%s%n", finding.kind().problem() ? "PROBLEM" : "note", label(finding.kind()),
                    finding.subject() + " " + finding.detail(), finding.repaired() ? " [repaired]" : "");
        }
        out.println();
        out.printf("blobs checked:       %d (%s)%n", report.blobsChecked(), ProgressBar.bytes(report.bytesChecked()));
        if (report.mirrorFilesChecked() > 0) {
            out.printf("mirror files:        %d%n", report.mirrorFilesChecked());
        }
        out.printf("read by this run:    %d blobs and files (%s)%n", report.itemsThisRun(),
                ProgressBar.bytes(report.bytesThisRun()));
        for (Finding.Kind kind : Finding.Kind.values()) {
            long count = findings.count(kind);
            if (count > 0) {
                long listed = findings.listed().stream().filter(finding -> finding.kind() == kind).count();
                long shown = kind.problem() ? listed : Math.min(listed, LISTED_NOTES);
                out.printf("%-20s %d (%s)%s%n", label(kind) + ":", count, ProgressBar.bytes(findings.bytes(kind)),
                        count > shown ? ", " + (count - shown) + " not listed above" : "");
            }
        }
        if (!report.complete()) {
            out.println("result: stopped before the end; run berth fsck again to continue where it stopped");
        } else if (findings.problems() == 0) {
            out.println("result: no problems");
        } else {
            out.println("result: " + findings.problems() + " problem" + (findings.problems() == 1 ? "" : "s")
                    + (repair ? "; repaired where fsck can, the rest need a push (run fsck again to confirm)"
                    : "; run berth fsck --repair to take bad blobs out of service"));
        }
    }

    private static String label(Finding.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** {@code 1048576}, {@code 512K}, {@code 50M}, {@code 1G}, {@code 2GiB}: binary units. */
    static long parseByteCount(String text) {
        Matcher matcher = BYTE_COUNT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a byte count: " + text + " (try 50M or 1G)");
        }
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(matcher.group(1));
        if (value < 1 || value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("byte count out of range: " + text);
        }
        return value << shift;
    }
}
