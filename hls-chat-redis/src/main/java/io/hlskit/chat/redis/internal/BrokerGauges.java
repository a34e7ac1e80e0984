package io.hlskit.chat.redis.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A chat broker's state as meters: {@code hlskit_chat_broker_connected{broker}} (1 while it can
 * reach its server) and {@code hlskit_chat_broker_dropped_total{broker}} (events dropped because
 * the listeners fell behind). Kept apart from the broker so that a broker without a registry
 * loads no Micrometer class.
 */
public final class BrokerGauges {
  private BrokerGauges() {}

  /** Registers the meters of broker {@code broker}, read from the given suppliers. */
  public static void bind(MeterRegistry registry, String broker, BooleanSupplier connected,
      LongSupplier dropped) {
    Gauge.builder("hlskit.chat.broker.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
        .tag("broker", broker).description("1 while the chat broker reaches its server")
        .register(registry);
    FunctionCounter.builder("hlskit.chat.broker.dropped", dropped, LongSupplier::getAsLong)
        .tag("broker", broker)
        .description("chat events dropped because the listeners fell behind")
        .register(registry);
  }
}
