package io.berth.server;

import io.berth.http.LogText;
import io.berth.http.RequestIds;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output or error as the log sees it: each {@code println} is exactly one line, whatever
 * the message holds. The logger writes a record with one {@code println} (a stack trace with one
 * per frame), so a name, path, user agent or token field a client sent cannot end the line, forge
 * another, or reorder what a terminal shows ({@link LogText}). Raw writes ({@code write}, {@code
 * print}) pass untouched: the access log escapes its own fields, and progress bars rewrite their line.
 *
 * <p>A line printed while its thread handles a request ends with {@code  request_id=<id>}, the id
 * the client got in {@link RequestIds#HEADER} and the access log's JSON records carry, so that a
 * warning or error can be matched with its request. The frames of a stack trace (lines that start
 * with white space) are left as they are.
 */
public final class OneLinePrintStream extends PrintStream {
    OneLinePrintStream(PrintStream out) {
        super(out, true, StandardCharsets.UTF_8);
    }

    /** {@code text} escaped so that it stays on one line and reads as sent ({@link LogText}), for output a client's text reaches. */
    public static String oneLine(String text) {
        return LogText.escape(text);
    }

    /** Puts one-line streams in place of standard output and error, once. */
    public static synchronized void install() {
        if (!(System.out instanceof OneLinePrintStream)) {
            System.setOut(new OneLinePrintStream(System.out));
        }
        if (!(System.err instanceof OneLinePrintStream)) {
            System.setErr(new OneLinePrintStream(System.err));
        }
    }

    @Override
    public void println(String line) {
        super.println(marked(LogText.escape(line)));
    }

    @Override
    public void println(Object line) {
        super.println(marked(LogText.escape(String.valueOf(line))));
    }

    /** {@code line} with the current request's id at its end, when there is one and the line is not a stack frame. */
    private static String marked(String line) {
        java.util.Optional<String> id = RequestIds.current();
        if (id.isEmpty() || line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
            return line;
        }
        return line + " request_id=" + id.get();
    }
}
