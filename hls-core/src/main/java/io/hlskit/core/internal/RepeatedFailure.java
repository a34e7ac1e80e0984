package io.hlskit.core.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A failure that repeats (a scan of a folder that is gone, a bucket that does not answer), told
 * when it starts, at most once a period while it lasts (with how often it failed), and when it
 * is over: an hour without the folder is a few dozen log lines, not thousands. Thread-safe.
 */
public final class RepeatedFailure {
  private final long periodNanos;
  private final LongSupplier clock;
  private boolean failing;
  private long since;
  private long lastTold;
  private long failures;

  /** Told at most once every {@code period} while it lasts. */
  public RepeatedFailure(Duration period) {
    this(period, System::nanoTime);
  }

  RepeatedFailure(Duration period, LongSupplier clock) {
    this.periodNanos = period.toNanos();
    this.clock = clock;
  }

  /**
   * It failed again, with {@code problem}.
   *
   * @return what to log now, or null when it was told less than a period ago
   */
  public synchronized String failed(String problem) {
    long now = clock.getAsLong();
    failures++;
    if (!failing) {
      failing = true;
      since = now;
      lastTold = now;
      return problem;
    }
    if (now - lastTold < periodNanos) {
      return null;
    }
    lastTold = now;
    return problem + " (failing for " + seconds(now - since) + " s, " + failures + " times)";
  }

  /**
   * It worked.
   *
   * @return what to log when that ends a failure ("after N failures over S s"), or null
   */
  public synchronized String succeeded() {
    if (!failing) {
      return null;
    }
    String told = "after " + failures + (failures == 1 ? " failure" : " failures") + " over "
        + seconds(clock.getAsLong() - since) + " s";
    failing = false;
    failures = 0;
    return told;
  }

  private static long seconds(long nanos) {
    return Math.round(nanos / 1e9);
  }
}
