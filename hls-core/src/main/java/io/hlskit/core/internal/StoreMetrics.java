package io.hlskit.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code hlskit_storage_seconds{store, op, result}}: how long a store's operations take (op =
 * read, open, write, list, delete, publish, health; result = ok or error). {@link #NONE} times
 * nothing and touches no Micrometer class, so stores need Micrometer only when given a registry.
 * Thread-safe.
 */
public final class StoreMetrics {
  /** Times nothing. */
  public static final StoreMetrics NONE = new StoreMetrics(null, null);

  private final Object registry;
  private final String store;
  private final Map<String, Object> timers = new ConcurrentHashMap<>();

  private StoreMetrics(Object registry, String store) {
    this.registry = registry;
    this.store = store;
  }

  /** Timing into {@code registry} for the store named {@code store} (fs, s3, memory...). */
  public static StoreMetrics of(MeterRegistry registry, String store) {
    return registry == null ? NONE : new StoreMetrics(registry, store);
  }

  /** Runs {@code work} as operation {@code op}, timed; its result or exception passes through. */
  public <T> T time(String op, Supplier<T> work) {
    if (registry == null) {
      return work.get();
    }
    long start = System.nanoTime();
    boolean ok = false;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      record(op, ok, System.nanoTime() - start);
    }
  }

  /** Runs {@code work} as operation {@code op}, timed. */
  public void run(String op, Runnable work) {
    time(op, () -> {
      work.run();
      return null;
    });
  }

  private void record(String op, boolean ok, long nanos) {
    String result = ok ? "ok" : "error";
    ((Timer) timers.computeIfAbsent(op + "/" + result, k -> Timer.builder("hlskit.storage")
        .tag("store", store).tag("op", op).tag("result", result)
        .description("storage operations, by store, operation and outcome")
        .register((MeterRegistry) registry)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
