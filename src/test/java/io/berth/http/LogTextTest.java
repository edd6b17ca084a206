package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a client sends cannot end, forge or visually reorder a log line; everything else is kept as it is. */
class LogTextTest {
    @Test
    void lineBreaksControlsAndDirectionOverridesAreEscaped() {
        assertThat(LogText.escape("a\nb\rc\td\u0000e\u007ff\u0085g")).isEqualTo("a\\u000ab\\u000dc\td\\u0000e\\u007ff\\u0085g");
        assertThat(LogText.escape("x\u2028y\u2029z")).isEqualTo("x\\u2028y\\u2029z");
        assertThat(LogText.escape("admin\u202egnp.exe\u2066\u2069\u200f\u061c"))
                .isEqualTo("admin\\u202egnp.exe\\u2066\\u2069\\u200f\\u061c");
    }

    @Test
    void aBackslashIsDoubledSoAnEscapeCannotBeFaked() {
        assertThat(LogText.escape("not a newline: \\u000a")).isEqualTo("not a newline: \\\\u000a");
    }

    @Test
    void ordinaryTextAndWholeSurrogatePairsAreKept() {
        String text = "robot$osbs releng@fedoraproject.org é 日本 \uD83D\uDE80";
        assertThat(LogText.escape(text)).isSameAs(text);
        assertThat(LogText.escape("lone \uD83D end")).isEqualTo("lone \\ud83d end");
        assertThat(LogText.escape("lone \uDE80")).isEqualTo("lone \\ude80");
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
