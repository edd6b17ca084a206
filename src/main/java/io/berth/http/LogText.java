package io.berth.http;

/**
 * Text from clients made safe to put in a log line: no client can end a line, start a forged one,
 * or make a line read differently on a terminal. Escaped, as {@code \}{@code uXXXX}: C0 and C1
 * control characters but the tab (line feed and carriage return among them) and DEL; the Unicode line and
 * paragraph separators; the bidirectional formatting characters (embeddings, overrides, isolates
 * and marks), which reorder what a terminal shows; lone surrogates. A backslash is doubled, so an
 * escape in the log always stands for a character the client sent, never for text that looks like one.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code text} with every character a log line must not carry escaped; the same string when there is none. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text.toString();
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                escaped.append("\\\\");
            } else if (unsafe(text, i)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static int firstUnsafe(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\' || unsafe(text, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(CharSequence text, int index) {
        char c = text.charAt(index);
        if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return index + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(index + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return index == 0 || !Character.isHighSurrogate(text.charAt(index - 1));
        }
        return false;
    }
}
