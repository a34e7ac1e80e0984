package io.hlskit.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long a backend's operations take, by operation and outcome: {@code
 * hlskit_storage_seconds{store, op, result}} for stores (op = read, open, write, list, delete,
 * publish, health) and {@code hlskit_chat_broker_seconds{broker, op, result}} for chat brokers;
 * result = ok or error. {@link #NONE} times nothing and touches no Micrometer class, so backends
 * need Micrometer only when given a registry. Thread-safe.
 */
public final class OperationTimer {
  /** Times nothing. */
  public static final OperationTimer NONE = new OperationTimer(null, null, null, null, null);

  private final Object registry;
  private final String name;
  private final String description;
  private final String backendTag;
  private final String backend;
  private final Map<String, Object> timers = new ConcurrentHashMap<>();

  private OperationTimer(Object registry, String name, String description, String backendTag,
      String backend) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.backendTag = backendTag;
    this.backend = backend;
  }

  /** Timing into {@code registry} for the store named {@code store} (fs, s3, memory...). */
  public static OperationTimer forStore(MeterRegistry registry, String store) {
    return registry == null ? NONE : new OperationTimer(registry, "hlskit.storage",
        "storage operations, by store, operation and outcome", "store", store);
  }

  /** Timing into {@code registry} for the chat broker named {@code broker} (redis...). */
  public static OperationTimer forChatBroker(MeterRegistry registry, String broker) {
    return registry == null ? NONE : new OperationTimer(registry, "hlskit.chat.broker",
        "chat broker operations, by broker, operation and outcome", "broker", broker);
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
    ((Timer) timers.computeIfAbsent(op + "/" + result, k -> Timer.builder(name)
        .tag(backendTag, backend).tag("op", op).tag("result", result)
        .description(description)
        .register((MeterRegistry) registry)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
