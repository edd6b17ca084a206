package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The streams the logger writes to: a record is one line whatever a client put in it, a stack trace
 * stays one line per frame, and raw writes (a progress bar's carriage return) pass untouched.
 */
class OneLinePrintStreamTest {
    @Test
    void eachPrintlnIsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OneLinePrintStream out = new OneLinePrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            out.println("[WARN] TokenService - refused a token of issuer evil\n[INFO] BerthServer - all is well");
            new IllegalStateException("two\nlines").printStackTrace(out);
            out.print("\r 42 %");
        }
        String written = bytes.toString(StandardCharsets.UTF_8);
        assertThat(written.lines().findFirst().orElseThrow())
                .isEqualTo("[WARN] TokenService - refused a token of issuer evil\\u000a[INFO] BerthServer - all is well");
        assertThat(written).contains("java.lang.IllegalStateException: two\\u000alines\n\tat io.berth.server.OneLinePrintStreamTest")
                .endsWith("\r 42 %");
    }
}
