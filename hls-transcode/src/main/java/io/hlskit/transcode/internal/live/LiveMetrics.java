package io.hlskit.transcode.internal.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A live ingest's meters: {@code hlskit_live_publishers} (sending now), {@code
 * hlskit_live_ingest_bytes_total} (what publishers sent), {@code hlskit_live_encoding_speed}
 * (the slowest broadcast's seconds of media per second, 1 keeps up; 0 with none) and {@code
 * hlskit_live_frames_dropped_total}. Read from the ingest when scraped, so they cost the
 * pipelines nothing. Only loaded when an application gives a meter registry.
 */
public final class LiveMetrics {
  private LiveMetrics() {}

  /** Registers the meters, each reading its supplier when scraped. */
  public static void register(MeterRegistry registry, IntSupplier publishers,
      LongSupplier ingestBytes, DoubleSupplier slowestSpeed, LongSupplier framesDropped) {
    Gauge.builder("hlskit.live.publishers", publishers::getAsInt)
        .description("publishers sending into live channels now").register(registry);
    FunctionCounter.builder("hlskit.live.ingest.bytes", ingestBytes,
            LongSupplier::getAsLong)
        .description("bytes publishers sent").baseUnit("bytes").register(registry);
    Gauge.builder("hlskit.live.encoding.speed", slowestSpeed::getAsDouble)
        .description("seconds of media encoded per second by the slowest broadcast (1 keeps"
            + " up)").register(registry);
    FunctionCounter.builder("hlskit.live.frames.dropped", framesDropped,
            LongSupplier::getAsLong)
        .description("pictures not encoded to keep up with real time").register(registry);
  }
}
