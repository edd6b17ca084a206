package io.berth.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one finished request costs on the request path: finding the timer of its route,
 * method and status (created before the measurement) and recording the duration and body bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestMetricsBenchmark {
    private RequestMetrics requests;

    @Setup
    public void createMeters() {
        requests = new RequestMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        requests.completed("manifest", "GET", 200, 1, 0, 0);
    }

    @Benchmark
    public void recordOneRequest() {
        requests.completed("manifest", "GET", 200, 1_234_567, 0, 1_500);
    }

    @Benchmark
    @Threads(2)
    public void recordOneRequestOnTwoThreads() {
        requests.completed("manifest", "GET", 200, 1_234_567, 0, 1_500);
    }
}
