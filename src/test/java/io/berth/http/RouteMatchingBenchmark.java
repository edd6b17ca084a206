package io.berth.http;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Matching request paths to routes, once per request on every endpoint. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchingBenchmark {

    @Param({
            "/v2/",
            "/v2/fedora/41/manifests/latest",
            "/v2/candidate/fedora/toolbox/blobs/sha256:3f4e0e1c5b0a3c63b1b7f0d2f6d9f8e6c4a2b0c8e6d4f2a0b8c6e4d2f0a8b6c4",
            "/v2/candidate/fedora/toolbox/blobs/uploads/0f8b6d8e-4c1a-4b8e-9d3c-2a1f0e9d8c7b",
            "/v2/fedora/41/tags/list"})
    public String path;

    @Benchmark
    public Route match() {
        return Routes.match(path);
    }
}
