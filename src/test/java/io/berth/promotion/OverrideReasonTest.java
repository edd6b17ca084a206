package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.oci.Limits;
import org.junit.jupiter.api.Test;

/**
 * The reason of an emergency override: not blank, at most {@link Limits#MAX_OVERRIDE_REASON_CHARACTERS}
 * characters counted as code points, and nothing that could make a log line or a terminal show
 * other text than was stored.
 */
class OverrideReasonTest {

    @Test
    void aSentenceIsKeptWithoutItsSurroundingWhiteSpace() {
        assertThat(OverrideReason.of("  CVE-2026-0001: the fix cannot wait a day \t").text())
                .isEqualTo("CVE-2026-0001: the fix cannot wait a day");
    }

    @Test
    void aBlankReasonIsRefused() {
        for (String blank : new String[] {"", "   ", "\t \u3000"}) {
            assertThatThrownBy(() -> OverrideReason.of(blank)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be blank");
        }
    }

    @Test
    void theLimitCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDEA8";
        assertThat(OverrideReason.of(emoji.repeat(Limits.MAX_OVERRIDE_REASON_CHARACTERS)).text())
                .hasSize(2 * Limits.MAX_OVERRIDE_REASON_CHARACTERS);
        assertThatThrownBy(() -> OverrideReason.of("x".repeat(Limits.MAX_OVERRIDE_REASON_CHARACTERS + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an override reason is limited to 1024 characters, not 1025");
    }

    @Test
    void charactersThatHideOrForgeTextAreRefused() {
        String[] hiding = {"line\nbreak", "carriage\rreturn", "bell\u0007!", "delete\u007F!", "c1\u0085!", "escape\u001B[2J",
                "line\u2028separator", "paragraph\u2029separator", "bidi\u202Eevil", "isolate\u2066x", "lone\uD800surrogate",
                "lone\uDC00low"};
        for (String text : hiding) {
            assertThatThrownBy(() -> OverrideReason.of(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not contain control characters");
        }
        assertThatThrownBy(() -> OverrideReason.of("a\nb")).hasMessageContaining("U+000A at character 2");
    }
}
