package io.berth.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading an image configuration as it streams: what a page keeps of it is bounded, the stream is left to the caller. */
class ImageConfigFactsTest {
    @Test
    void readsThePlatformCreationTimeAndLabelsSkippingEverythingElse() throws IOException {
        ImageConfigFacts facts = read("{\"history\":[{\"created_by\":\"x\"}],\"architecture\":\"arm64\",\"os\":\"linux\","
                + "\"variant\":\"v8\",\"created\":\"2026-11-30T08:15:00Z\",\"rootfs\":{\"diff_ids\":[]},"
                + "\"config\":{\"Env\":[\"A=1\"],\"Labels\":{\"a\":\"1\",\"n\":2}}}");

        assertThat(facts.platform()).hasValueSatisfying(platform -> assertThat(platform).hasToString("linux/arm64/v8"));
        assertThat(facts.created()).hasValueSatisfying(created -> assertThat(created).hasToString("2026-11-30T08:15:00Z"));
        assertThat(facts.labels()).containsExactly(java.util.Map.entry("a", "1"));
    }

    @Test
    void keepsAtMostTheLabelLimitAndCutsLongValues() throws IOException {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            labels.append(i == 0 ? "" : ",").append("\"label").append(i).append("\":\"").append("v".repeat(5000)).append('"');
        }
        ImageConfigFacts facts = read("{\"config\":{\"Labels\":{" + labels + "}}}");

        assertThat(facts.labels()).hasSize(ImageConfigFacts.MAX_LABELS)
                .allSatisfy((key, value) -> assertThat(value).hasSize(ImageConfigFacts.MAX_LABEL_CHARACTERS));
        assertThat(read("{\"config\":{\"Labels\":{\"" + "k".repeat(2000) + "\":\"v\",\"short\":\"v\"}}}").labels())
                .as("a label with an overlong key is left out").containsOnlyKeys("short");
    }

    @Test
    void aLabelLongerThanTheParserHoldsGivesNothingWhileLongSkippedStringsDoNot() throws IOException {
        String huge = "v".repeat(ImageConfigFacts.MAX_STRING_CHARACTERS + 1);

        assertThat(read("{\"os\":\"linux\",\"config\":{\"Labels\":{\"a\":\"" + huge + "\"}}}"))
                .isEqualTo(ImageConfigFacts.UNKNOWN);
        assertThat(read("{\"history\":[{\"created_by\":\"" + huge + "\"}],\"os\":\"linux\",\"architecture\":\"amd64\"}")
                .platform()).as("a long string the parser skips").isPresent();
    }

    @Test
    void somethingElseThanAConfigurationGivesNothingAndLeavesTheStreamOpen() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("[1, 2, 3]".getBytes(StandardCharsets.UTF_8));

        assertThat(ImageConfigFacts.read(in)).isEqualTo(ImageConfigFacts.UNKNOWN);
        assertThat(read("not json at all")).isEqualTo(ImageConfigFacts.UNKNOWN);
        assertThat(in.read()).as("the stream is still open for the caller's digest").isGreaterThanOrEqualTo(-1);
    }

    private static ImageConfigFacts read(String json) throws IOException {
        return ImageConfigFacts.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
