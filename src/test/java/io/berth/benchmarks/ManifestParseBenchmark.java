package io.berth.benchmarks;

import io.berth.oci.Digest;
import io.berth.oci.DigestAlgorithm;
import io.berth.oci.Manifest;
import io.berth.oci.ManifestParser;
import io.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Parsing and validating manifests as a manifest PUT does, plus the digest of the body. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ManifestParseBenchmark {
    private byte[] imageManifest;
    private byte[] index;

    @Setup
    public void build() {
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            layers.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", i, 30_000_000L));
        }
        imageManifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", 100, 1500) + ",\"layers\":[" + layers
                + "],\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}")
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder manifests = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            manifests.append(i == 0 ? "" : ",").append(descriptor(MediaTypes.OCI_MANIFEST, 200 + i, 1200)
                    .replace("}", ",\"platform\":{\"architecture\":\"arch" + i + "\",\"os\":\"linux\"}}"));
        }
        index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + manifests + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String mediaType, int seed, long size) {
        Digest digest = Digest.of(DigestAlgorithm.SHA256, new byte[]{(byte) seed, (byte) (seed >> 8)});
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    @Benchmark
    public Manifest parseImageManifest() {
        return ManifestParser.parse(imageManifest, Optional.of(MediaTypes.OCI_MANIFEST));
    }

    @Benchmark
    public Manifest parseIndex() {
        return ManifestParser.parse(index, Optional.of(MediaTypes.OCI_INDEX));
    }

    @Benchmark
    public Digest digestOfImageManifest() {
        return Digest.of(DigestAlgorithm.SHA256, imageManifest);
    }
}
