package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.berth.testing.TestBlob;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest within the 4 MiB size limit can still be shaped to expand into a tree far larger than
 * itself ({@code [[[[…}, a million {@code 0,} or {@code {}}). Berth's launcher runs a 96 MiB heap, so
 * each such body must be refused while it streams by, before anything of its size is built: these
 * tests measure the bytes the parse allocates on its thread and hold them under
 * {@value #ALLOCATION_BUDGET} bytes.
 */
class ManifestParserLimitsTest {
    /** Well under the launcher's 96 MiB heap, so that several such parses at once cannot exhaust it. */
    private static final long ALLOCATION_BUDGET = 16L * 1024 * 1024;
    private static final int EXPANSION_SIZE = 3 * 1024 * 1024;
    private static final String HEAD = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
            + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + TestBlob.of("{}").digest()
            + "\",\"size\":2},";
    private static final String LAYER = "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
            + TestBlob.of("layer").digest() + "\",\"size\":5}";

    static Stream<Arguments> expansionShapedManifests() {
        return Stream.of(
                argumentSet("a million 0s in an unknown field", manifest("\"layers\":[],\"x\":[", "0,", "0]}")),
                argumentSet("a million 0s as layers", manifest("\"layers\":[", "0,", "0]}")),
                argumentSet("a million empty objects in an unknown field", manifest("\"layers\":[],\"x\":[", "{},", "{}]}")),
                argumentSet("a million empty arrays in an unknown field", manifest("\"layers\":[],\"x\":[", "[],", "[]]}")),
                argumentSet("nested arrays as layers", manifest("\"layers\":", "[", "")),
                argumentSet("nested objects in an unknown field", manifest("\"layers\":[],\"x\":", "{\"a\":", "1")),
                argumentSet("a million one-letter annotations", manifest("\"layers\":[],\"annotations\":{\"k\":\"v\"", ",\"k0000000\":\"v\"", "}}")),
                argumentSet("a million URLs on one layer", manifest("\"layers\":[{\"mediaType\":\"a/b\",\"digest\":\""
                        + TestBlob.of("x").digest() + "\",\"size\":1,\"urls\":[\"u\"", ",\"u\"", "]}]}")),
                argumentSet("a million null members of an unknown object", manifest("\"layers\":[],\"x\":{\"k\":null", ",\"k0000000\":null", "}}")),
                argumentSet("layers up to 3 MiB", manifest("\"layers\":[" + LAYER, "," + LAYER, "]}")));
    }

    @ParameterizedTest
    @MethodSource("expansionShapedManifests")
    void expansionShapedManifestsAreRefusedWithBoundedAllocation(byte[] content) {
        assertThat(content.length).isBetween(EXPANSION_SIZE - 1000, EXPANSION_SIZE + 1000);

        Outcome outcome = parseMeasured(content);

        assertThat(outcome.error()).isInstanceOfSatisfying(RegistryException.class,
                error -> assertThat(error.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
        assertThat(outcome.allocatedBytes()).isLessThan(ALLOCATION_BUDGET);
        assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void deepestNestingAllowedIsAccepted() {
        String nested = "[".repeat(Limits.MAX_JSON_NESTING_DEPTH - 1) + "]".repeat(Limits.MAX_JSON_NESTING_DEPTH - 1);

        assertThatCode(() -> ManifestParser.parse(utf8(HEAD + "\"layers\":[],\"x\":" + nested + "}"), Optional.empty()))
                .doesNotThrowAnyException();
        assertThat(parseMeasured(utf8(HEAD + "\"layers\":[],\"x\":[" + nested + "]}")).error())
                .hasMessageContaining("nesting depth");
    }

    @Test
    void theMostLayersAllowedAreAcceptedWithinTheBudgetAndOneMoreIsRefused() {
        String layers = (LAYER + ",").repeat(Limits.MAX_JSON_ELEMENTS - 1) + LAYER;

        Outcome most = parseMeasured(utf8(HEAD + "\"layers\":[" + layers + "]}"));
        Outcome tooMany = parseMeasured(utf8(HEAD + "\"layers\":[" + layers + "," + LAYER + "]}"));

        assertThat(most.error()).isNull();
        assertThat(most.allocatedBytes()).isLessThan(ALLOCATION_BUDGET);
        assertThat(tooMany.error()).hasMessageContaining("more than " + Limits.MAX_JSON_ELEMENTS);
    }

    @Test
    void tokensBeyondTheLimitAreRefusedWhereverTheyAre() {
        int values = (int) Limits.MAX_JSON_TOKENS;

        Outcome outcome = parseMeasured(utf8(HEAD + "\"layers\":[],\"x\":[" + "1,".repeat(values) + "1]}"));

        assertThat(outcome.error()).hasMessageContaining("Token count");
    }

    private record Outcome(Throwable error, long allocatedBytes, Duration elapsed) {
    }

    /** Parses on a fresh platform thread and measures what that thread allocated. */
    private static Outcome parseMeasured(byte[] content) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicLong allocated = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        Thread thread = Thread.ofPlatform().unstarted(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            try {
                ManifestParser.parse(content, Optional.of(MediaTypes.OCI_MANIFEST));
            } catch (Throwable e) {
                error.set(e);
            }
            nanos.set(System.nanoTime() - start);
            allocated.set(threads.getCurrentThreadAllocatedBytes() - before);
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Outcome(error.get(), allocated.get(), Duration.ofNanos(nanos.get()));
    }

    /** {@code head}, then {@code repeated} as often as fits in 3 MiB, then {@code tail}. */
    private static byte[] manifest(String head, String repeated, String tail) {
        String start = HEAD + head;
        int count = (EXPANSION_SIZE - start.length() - tail.length()) / repeated.length();
        return utf8(start + repeated.repeat(count) + tail);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
