package io.hlskit.transcode.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hlskit_transcode_seconds{result=done|failed|cancelled}} and {@code
 * hlskit_transcode_speed} (the realtime factor of the last transcode that finished). Only loaded
 * when an application gives a meter registry. Thread-safe.
 */
public final class TranscodeMetrics {
  private final Timer done;
  private final Timer failed;
  private final Timer cancelled;
  private final AtomicLong lastSpeedBits = new AtomicLong(Double.doubleToLongBits(0));

  public TranscodeMetrics(MeterRegistry registry) {
    done = timer(registry, "done");
    failed = timer(registry, "failed");
    cancelled = timer(registry, "cancelled");
    Gauge.builder("hlskit.transcode.speed", lastSpeedBits,
            bits -> Double.longBitsToDouble(bits.get()))
        .description("seconds of video per second of work, of the last transcode done")
        .register(registry);
  }

  private static Timer timer(MeterRegistry registry, String result) {
    return Timer.builder("hlskit.transcode").tag("result", result)
        .description("transcodes, by how they ended").register(registry);
  }

  /** A transcode of {@code mediaSeconds} of video published after {@code nanos}. */
  public void done(long nanos, double mediaSeconds) {
    done.record(nanos, TimeUnit.NANOSECONDS);
    if (nanos > 0) {
      lastSpeedBits.set(Double.doubleToLongBits(mediaSeconds / (nanos / 1e9)));
    }
  }

  public void failed(long nanos) {
    failed.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void cancelled(long nanos) {
    cancelled.record(nanos, TimeUnit.NANOSECONDS);
  }
}
