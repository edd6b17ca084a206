package io.berth.promotion;

import io.berth.oci.Limits;

/**
 * Why a promotion goes ahead although some of its gate rules fail: the text of an emergency
 * override ({@code docs/promotion.md}, "Emergency override"), as the audit trail and the warning
 * log keep it. It is not blank, has at most {@link Limits#MAX_OVERRIDE_REASON_CHARACTERS}
 * characters, and holds no character that could make a log line or a terminal show something else
 * than what was stored: no control character (C0, DEL, C1), no line or paragraph separator, no
 * bidirectional embedding, override or isolate, and no unpaired surrogate. Surrounding white space
 * is dropped.
 */
public record OverrideReason(String text) {

    public OverrideReason {
        text = text.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an override needs a reason: it must not be blank");
        }
        int characters = text.codePointCount(0, text.length());
        if (characters > Limits.MAX_OVERRIDE_REASON_CHARACTERS) {
            throw new IllegalArgumentException("an override reason is limited to " + Limits.MAX_OVERRIDE_REASON_CHARACTERS
                    + " characters, not " + characters);
        }
        for (int offset = 0; offset < text.length(); ) {
            int codePoint = text.codePointAt(offset);
            if (hidesText(codePoint)) {
                throw new IllegalArgumentException(String.format(
                        "an override reason must not contain control characters (U+%04X at character %d)",
                        codePoint, text.codePointCount(0, offset) + 1));
            }
            offset += Character.charCount(codePoint);
        }
    }

    public static OverrideReason of(String text) {
        return new OverrideReason(text);
    }

    private static boolean hidesText(int codePoint) {
        return Character.isISOControl(codePoint)
                || codePoint == '\u2028' || codePoint == '\u2029'
                || (codePoint >= '\u202A' && codePoint <= '\u202E')
                || (codePoint >= '\u2066' && codePoint <= '\u2069')
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
    }

    @Override
    public String toString() {
        return text;
    }
}
