package io.berth.cli;

import io.berth.mirror.ExportProgress;
import java.io.PrintStream;

/** A one-line progress bar for the export: blobs, bytes and percentage, redrawn at most every 200 ms. */
final class ProgressBar implements ExportProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private long totalBlobs;
    private long totalBytes;
    private long doneBlobs;
    private long doneBytes;
    private long lastDraw;

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void started(long blobs, long bytes) {
        totalBlobs = blobs;
        totalBytes = bytes;
        draw();
    }

    @Override
    public void advanced(long bytes) {
        doneBlobs++;
        doneBytes += bytes;
        if (System.nanoTime() - lastDraw > REDRAW_NANOS) {
            draw();
        }
    }

    @Override
    public void finished() {
        draw();
        out.println();
    }

    private void draw() {
        lastDraw = System.nanoTime();
        double fraction = totalBytes == 0 ? (totalBlobs == 0 ? 1 : (double) doneBlobs / totalBlobs) : (double) doneBytes / totalBytes;
        int filled = (int) Math.round(fraction * WIDTH);
        out.printf("\r[%s%s] %3d%%  %d/%d blobs  %s/%s", "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(fraction * 100), doneBlobs, totalBlobs, bytes(doneBytes), bytes(totalBytes));
        out.flush();
    }

    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
