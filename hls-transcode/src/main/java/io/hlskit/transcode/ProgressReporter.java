package io.hlskit.transcode;

import java.util.function.LongSupplier;

/** Turns decoded-frame times into at most five progress reports a second. */
final class ProgressReporter {
  private final ProgressListener listener;
  private final LongSupplier durationMicros;
  private final long started;
  private long frames;
  private long lastReport;
  private double lastFraction;

  ProgressReporter(ProgressListener listener, LongSupplier durationMicros, long started) {
    this.listener = listener;
    this.durationMicros = durationMicros;
    this.started = started;
  }

  void videoAt(long micros) {
    frames++;
    long now = System.nanoTime();
    if (now - lastReport < 200_000_000L) {
      return;
    }
    lastReport = now;
    long duration = durationMicros.getAsLong();
    // 0.99 at most until published: the last percent is the upload into the store
    double fraction = duration > 0 ? Math.min(0.99, (double) micros / duration) : 0;
    fraction = Math.max(fraction, lastFraction);
    lastFraction = fraction;
    double wall = (now - started) / 1e9;
    listener.onProgress(new Progress(fraction, frames, wall > 0 ? micros / 1e6 / wall : 0));
  }
}
