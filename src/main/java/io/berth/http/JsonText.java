package io.berth.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.HexFormat;

/**
 * JSON strings for log records: quoted and escaped by Jackson, and pure ASCII besides, every
 * character from DEL on written as {@code \}{@code uXXXX}. A JSON reader gets back exactly the text
 * the client sent, while the line itself holds no character that could end it (line feed, carriage
 * return, the Unicode line and paragraph separators) or reorder what a terminal shows
 * (bidirectional overrides), the same guarantee as {@link LogText} gives text lines.
 */
final class JsonText {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final HexFormat HEX = HexFormat.of();

    private JsonText() {
    }

    /** Appends {@code text} as a quoted JSON string. */
    static void appendString(StringBuilder out, CharSequence text) {
        out.append('"');
        appendEscaped(out, text);
        out.append('"');
    }

    /** Appends {@code text} escaped as the inside of a JSON string, without the quotes. */
    static void appendEscaped(StringBuilder out, CharSequence text) {
        if (isPlain(text)) {
            out.append(text);
            return;
        }
        int start = out.length();
        ENCODER.quoteAsString(text, out);
        for (int i = start; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c >= 0x7f) {
                out.replace(i, i + 1, "\\u" + HEX.toHexDigits(c));
                i += 5;
            }
        }
    }

    /** Whether {@code text} is printable ASCII without a quote or backslash: written as it is. */
    private static boolean isPlain(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
