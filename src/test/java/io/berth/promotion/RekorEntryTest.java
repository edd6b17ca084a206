package io.berth.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The transparency log bundle: what Rekor signed is the canonical JSON of the bundle's {@code
 * Payload}, and a bundle whose fields would make that ambiguous is refused; the DER of Fulcio's
 * issuer extension is read exactly.
 */
class RekorEntryTest {
    private static final String BODY = Base64.getEncoder().encodeToString("{\"kind\":\"hashedrekord\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void theSignedBytesAreThePayloadWithSortedKeysAndNoWhitespace() {
        RekorEntry entry = RekorEntry.fromBundle("""
                {"SignedEntryTimestamp": "MEUCIQ==",
                 "Payload": {"logIndex": 153412345, "logID": "c0d23d6a", "integratedTime": 1733400000, "body": "%s"}}
                """.formatted(BODY));

        assertThat(new String(entry.canonicalPayload(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"body\":\"" + BODY + "\",\"integratedTime\":1733400000,\"logID\":\"c0d23d6a\",\"logIndex\":153412345}");
        assertThat(entry.integratedAt()).hasToString("2024-12-05T12:00:00Z");
        assertThat(entry.signedEntryTimestamp()).isEqualTo(Base64.getDecoder().decode("MEUCIQ=="));
    }

    @Test
    void malformedBundlesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> RekorEntry.fromBundle("not json")).hasMessage("bundle is not JSON");
        assertThatThrownBy(() -> RekorEntry.fromBundle("{\"Payload\": {}}")).hasMessage("bundle without SignedEntryTimestamp or Payload");
        assertThatThrownBy(() -> RekorEntry.fromBundle(bundle("\"" + BODY + "\"", "\"1733400000\"", "\"c0d2\"")))
                .hasMessageContaining("needs body, integratedTime");
        assertThatThrownBy(() -> RekorEntry.fromBundle(bundle("\"" + BODY + "\"", "1733400000.5", "\"c0d2\"")))
                .hasMessageContaining("needs body, integratedTime");
        assertThatThrownBy(() -> RekorEntry.fromBundle(bundle("\"" + BODY + "\\\"\"", "1733400000", "\"c0d2\"")))
                .hasMessage("entry body is not base64");
        assertThatThrownBy(() -> RekorEntry.fromBundle(bundle("\"" + BODY + "\"", "1733400000", "\"C0D2\"")))
                .hasMessage("log ID is not lowercase hex");
        assertThatThrownBy(() -> RekorEntry.fromBundle(bundle("\"" + BODY + "\"", "-1", "\"c0d2\"")))
                .hasMessage("negative integrated time or log index");
        assertThatThrownBy(() -> RekorEntry.fromBundle("{\"SignedEntryTimestamp\": \"MEUCIQ==\", \"SignedEntryTimestamp\": \"MEUC\","
                + " \"Payload\": {}}")).hasMessage("bundle is not JSON");
        assertThatThrownBy(() -> RekorEntry.fromBundle("{\"SignedEntryTimestamp\": \"not base64!\", \"Payload\": "
                + "{\"body\": \"" + BODY + "\", \"integratedTime\": 1, \"logIndex\": 1, \"logID\": \"c0\"}}"))
                .hasMessage("SignedEntryTimestamp is not base64");
    }

    @Test
    void anEntryOfAnotherKindNamesNoSignature() {
        String intoto = Base64.getEncoder().encodeToString("{\"kind\":\"intoto\",\"spec\":{}}".getBytes(StandardCharsets.UTF_8));
        RekorEntry entry = RekorEntry.fromBundle(bundle("\"" + intoto + "\"", "1733400000", "\"c0d2\""));

        assertThat(entry.mismatch(new byte[]{1}, null, new byte[0])).hasValue("transparency log entry of kind 'intoto', not hashedrekord");
    }

    @Test
    void derElementsAreReadInShortAndLongFormAndOnlyWhole() {
        HexFormat hex = HexFormat.of();

        assertThat(FulcioCertificate.derContents(hex.parseHex("0c03616263"), 0x0C)).hasValueSatisfying(
                contents -> assertThat(new String(contents, StandardCharsets.UTF_8)).isEqualTo("abc"));
        byte[] longForm = new byte[3 + 200];
        longForm[0] = 0x04;
        longForm[1] = (byte) 0x81;
        longForm[2] = (byte) 200;
        assertThat(FulcioCertificate.derContents(longForm, 0x04)).hasValueSatisfying(contents -> assertThat(contents).hasSize(200));
        assertThat(FulcioCertificate.derContents(hex.parseHex("0c03616263"), 0x04)).as("another tag").isEmpty();
        assertThat(FulcioCertificate.derContents(hex.parseHex("0c0461626364ff"), 0x0C)).as("trailing bytes").isEmpty();
        assertThat(FulcioCertificate.derContents(hex.parseHex("0c05616263"), 0x0C)).as("truncated").isEmpty();
        assertThat(FulcioCertificate.derContents(hex.parseHex("0c80"), 0x0C)).as("indefinite length").isEmpty();
    }

    private static String bundle(String body, String integratedTime, String logId) {
        return "{\"SignedEntryTimestamp\": \"MEUCIQ==\", \"Payload\": {\"body\": " + body + ", \"integratedTime\": "
                + integratedTime + ", \"logIndex\": 7, \"logID\": " + logId + "}}";
    }
}
