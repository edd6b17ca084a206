package io.berth.benchmarks;

import io.berth.oci.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashing while streaming, as an upload does: 16 MiB through a {@link DigestInputStream} in the
 * buffer size the filesystem store copies with. The score is time per 16 MiB; divide to get MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DigestVerificationBenchmark {
    private static final int SIZE = 16 * 1024 * 1024;

    @Param({"SHA256", "SHA512"})
    public DigestAlgorithm algorithm;

    @Param({"262144"})
    public int bufferBytes;

    private byte[] content;
    private byte[] buffer;

    @Setup
    public void generate() {
        content = new byte[SIZE];
        new Random(1).nextBytes(content);
        buffer = new byte[bufferBytes];
    }

    @Benchmark
    public byte[] hashWhileStreaming() throws IOException {
        MessageDigest hash = algorithm.newMessageDigest();
        try (InputStream in = new DigestInputStream(new java.io.ByteArrayInputStream(content), hash)) {
            while (in.read(buffer) >= 0) {
                // the copy to storage would happen here
            }
        }
        return hash.digest();
    }
}
