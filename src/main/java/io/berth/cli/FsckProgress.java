package io.berth.cli;

import io.berth.integrity.CheckProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of {@code berth fsck}: on a terminal a one-line bar redrawn at most every 200 ms; into a
 * file or a pipe (cron, systemd) a plain line every {@link #LINE_INTERVAL}, and one at each pass's end.
 */
final class FsckProgress implements CheckProgress {
    static final Duration LINE_INTERVAL = Duration.ofSeconds(30);
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private String pass = "";
    private long totalItems;
    private long totalBytes;
    private long doneItems;
    private long doneBytes;
    private long lastDraw;

    FsckProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void started(String pass, long items, long bytes) {
        this.pass = pass;
        totalItems = items;
        totalBytes = bytes;
        doneItems = 0;
        doneBytes = 0;
        lastDraw = System.nanoTime();
        if (terminal) {
            draw();
        }
    }

    @Override
    public void advanced(long bytes) {
        doneItems++;
        doneBytes += bytes;
        long interval = terminal ? REDRAW_NANOS : LINE_INTERVAL.toNanos();
        if (System.nanoTime() - lastDraw > interval) {
            draw();
        }
    }

    @Override
    public void finished() {
        draw();
        if (terminal) {
            out.println();
        }
    }

    private void draw() {
        lastDraw = System.nanoTime();
        String counts = totalItems > 0
                ? String.format(Locale.ROOT, "%d/%d  %s/%s", doneItems, totalItems, ProgressBar.bytes(doneBytes),
                        ProgressBar.bytes(totalBytes))
                : String.format(Locale.ROOT, "%d  %s", doneItems, ProgressBar.bytes(doneBytes));
        if (!terminal) {
            out.printf("fsck %s: %s read%n", pass, counts);
            return;
        }
        double fraction = totalBytes > 0 ? (double) doneBytes / totalBytes
                : totalItems > 0 ? (double) doneItems / totalItems : 1;
        fraction = Math.min(1, fraction);
        int filled = (int) Math.round(fraction * WIDTH);
        out.printf("\r%-11s [%s%s] %3d%%  %s", pass, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(fraction * 100), counts);
        out.flush();
    }
}
