package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image configuration labels as Go clients read them (image spec "Image Configuration",
 * {@code config.Labels}): the promotion gates decide on these, so a configuration that would show a
 * client other labels than Berth saw is refused.
 */
class ImageConfigLabelsTest {

    @Test
    void labelsAreReadFromConfig() {
        assertThat(ImageConfigLabels.read(utf8("{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"A=1\"],"
                + "\"Labels\":{\"org.example.release\":\"42\",\"Org.Example.Release\":\"x\"}},\"rootfs\":{}}")))
                .containsExactly(java.util.Map.entry("org.example.release", "42"), java.util.Map.entry("Org.Example.Release", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"config\":null}", "{\"config\":{}}", "{\"config\":{\"Labels\":null}}"})
    void noLabelsAreEmpty(String configuration) {
        assertThat(ImageConfigLabels.read(utf8(configuration))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"config\":{\"Labels\":{\"a\":\"1\"}},\"Config\":{\"Labels\":{\"a\":\"2\"}}}",
            "{\"config\":{\"Labels\":{\"a\":\"1\"},\"labels\":{\"a\":\"2\"}}}",
            "{\"config\":{\"labels\":{\"a\":\"2\"}}}",
            "{\"Config\":{\"Labels\":{\"a\":\"2\"}}}",
            "{\"config\":{\"Labels\":{\"a\":\"1\",\"a\":\"2\"}}}",
            "{\"config\":{\"Labels\":{\"a\":1}}}",
            "{\"config\":{\"Labels\":[\"a\"]}}",
            "{\"config\":\"x\"}",
            "[]",
            "{\"config\":{\"Labels\":{\"a\":\"\\ud800\"}}}"})
    void configurationsThatGoClientsReadOtherwiseAreRefused(String configuration) {
        assertThatExceptionOfType(StrictJsonException.class).isThrownBy(() -> ImageConfigLabels.read(utf8(configuration)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
