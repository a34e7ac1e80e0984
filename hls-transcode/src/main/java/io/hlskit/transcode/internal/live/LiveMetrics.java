package io.hlskit.transcode.internal.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * A live ingest's meters: {@code hlskit_live_publishers} (sending now), {@code
 * hlskit_live_ingest_bytes_total} (what publishers sent), {@code hlskit_live_encoding_speed}
 * (the slowest broadcast's seconds of media per second, 1 keeps up; 0 with none) and {@code
 * hlskit_live_frames_dropped_total}. Read from the ingest when scraped, so they cost the
 * pipelines nothing. Only loaded when an application gives a meter registry.
 */
public final class LiveMetrics {
  private LiveMetrics() {}

  /**
   * Registers the meters, each reading {@code owner} when scraped; Micrometer holds {@code owner}
   * weakly, so the meters go quiet once the application lets go of it.
   */
  public static <T> void register(MeterRegistry registry, T owner, ToIntFunction<T> publishers,
      ToLongFunction<T> ingestBytes, ToDoubleFunction<T> slowestSpeed,
      ToLongFunction<T> framesDropped) {
    Gauge.builder("hlskit.live.publishers", owner, o -> publishers.applyAsInt(o))
        .description("publishers sending into live channels now").register(registry);
    FunctionCounter.builder("hlskit.live.ingest.bytes", owner, o -> ingestBytes.applyAsLong(o))
        .description("bytes publishers sent").register(registry);
    Gauge.builder("hlskit.live.encoding.speed", owner, slowestSpeed)
        .description("seconds of media encoded per second by the slowest broadcast (1 keeps"
            + " up)").register(registry);
    FunctionCounter.builder("hlskit.live.frames.dropped", owner,
            o -> framesDropped.applyAsLong(o))
        .description("pictures not encoded to keep up with real time").register(registry);
  }
}
