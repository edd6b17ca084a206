package io.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lines Berth logs while a capture is open. Berth logs through slf4j-simple to standard output
 * ({@code simplelogger.properties}), which it looks up on every line, so the capture puts a tee in
 * place of {@code System.out}: lines still reach the test's output, and a copy is kept here. Tests
 * in one JVM run one at a time, so the capture sees only its own test's lines.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private LogCapture(PrintStream original) {
        this.original = original;
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture(System.out);
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                capture.original.write(b);
                capture.copy.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                capture.original.write(bytes, offset, length);
                capture.copy.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                capture.original.flush();
            }
        }, true, StandardCharsets.UTF_8));
        return capture;
    }

    /** Every line logged so far, e.g. {@code 2026-…Z [WARN] CertificateReloader - TLS certificate …}. */
    public List<String> lines() {
        System.out.flush();
        return copy.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines a logger (its short name, e.g. {@code CertificateReloader}) wrote at {@code level} ({@code WARN}, {@code INFO}…). */
    public List<String> lines(String level, String logger) {
        String marker = "[" + level + "] " + logger + " - ";
        return lines().stream().filter(line -> line.contains(marker)).toList();
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
