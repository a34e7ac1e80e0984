package io.hlskit.transcode;

import java.time.Duration;

/**
 * The peak and average bit rates of a playlist's segments, as a multivariant playlist declares
 * them ({@code BANDWIDTH} and {@code AVERAGE-BANDWIDTH}, RFC 8216 section 4.3.4.2). A segment
 * shorter than half a second counts in the average but not in the peak: a short last segment
 * would overstate it.
 */
final class BitRates {
  private static final long SHORT_NANOS = 500_000_000L;

  private long bytes;
  private long nanos;
  private long peak;

  /** A segment of {@code size} bytes that plays for {@code duration}. */
  void add(long size, Duration duration) {
    bytes += size;
    nanos += duration.toNanos();
    if (duration.toNanos() > SHORT_NANOS) {
      peak = Math.max(peak, bitsPerSecond(size, duration.toNanos()));
    }
  }

  /** Bits per second over all the segments' time; 0 before any. */
  long average() {
    return nanos > 0 ? bitsPerSecond(bytes, nanos) : 0;
  }

  /** The highest segment's bit rate, never below the average. */
  long peak() {
    return Math.max(peak, average());
  }

  private static long bitsPerSecond(long bytes, long nanos) {
    return Math.round(bytes * 8 / (nanos / 1e9));
  }
}
