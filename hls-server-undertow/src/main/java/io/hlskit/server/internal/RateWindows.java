package io.hlskit.server.internal;

import io.hlskit.server.ChatLimits;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sliding-window rate limits by key (an address, a room): at most {@code rate.count()} in any
 * {@code rate.per()}. Keys idle for a whole window are forgotten now and then, so the table stays
 * as large as the keys that are active. Thread-safe.
 */
final class RateWindows {
  private final ChatLimits.Rate rate;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicInteger uses = new AtomicInteger();

  RateWindows(ChatLimits.Rate rate) {
    this.rate = rate;
  }

  /** Counts one for {@code key} and says whether it is within the rate; refused ones don't count. */
  boolean tryAcquire(String key) {
    long now = System.nanoTime();
    if ((uses.incrementAndGet() & 1023) == 0) {
      windows.values().removeIf(w -> w.idleSince(now));
    }
    return windows.computeIfAbsent(key, k -> new Window(rate)).tryAcquire(now);
  }

  /** One sliding window: the times of the last {@code count} acquisitions. */
  static final class Window {
    private final int count;
    private final long perNanos;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    Window(ChatLimits.Rate rate) {
      this.count = rate.count();
      this.perNanos = rate.per().toNanos();
    }

    synchronized boolean tryAcquire(long now) {
      while (!times.isEmpty() && now - times.peekFirst() >= perNanos) {
        times.removeFirst();
      }
      if (times.size() >= count) {
        return false;
      }
      times.addLast(now);
      return true;
    }

    synchronized boolean idleSince(long now) {
      return times.isEmpty() || now - times.peekLast() >= perNanos;
    }
  }
}
