package io.hlskit.benchmarks;

import io.hlskit.server.internal.HttpMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one request costs in a Prometheus registry, on its own: the request timer with
 * Micrometer's percentile histogram (about 70 buckets), with the fixed buckets the server uses,
 * and with no histogram; and the sent-bytes counter. A playlist answer costs the server about
 * 28 us of CPU ({@code serving.sh}), so these say what share of it recording takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {
  private Timer percentiles;
  private Timer buckets;
  private Timer plain;
  private Timer noPauseDetector;
  private Counter bytes;
  private long nanos = 1;

  @Setup
  public void setUp() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    percentiles = Timer.builder("p").publishPercentileHistogram().register(registry);
    buckets = Timer.builder("b").serviceLevelObjectives(HttpMetrics.BUCKETS).register(registry);
    plain = Timer.builder("n").register(registry);
    bytes = Counter.builder("c").register(registry);
    PrometheusMeterRegistry quiet = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    quiet.config().pauseDetector(new NoPauseDetector());
    noPauseDetector = Timer.builder("b").serviceLevelObjectives(HttpMetrics.BUCKETS).register(quiet);
  }

  /** A duration that moves around, as request times do: 1 us to about 2 ms. */
  private long next() {
    nanos = (nanos * 1103515245 + 12345) & 0x1fffff;
    return nanos + 1000;
  }

  @Benchmark
  public void timerPercentileHistogram() {
    percentiles.record(next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void timerFixedBuckets() {
    buckets.record(next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void timerFixedBucketsNoPauseDetector() {
    noPauseDetector.record(next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void timerNoHistogram() {
    plain.record(next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void counter() {
    bytes.increment(next());
  }
}
