package io.hlskit.server.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the chat endpoint counts for metrics: the sessions joined in each room on this instance
 * ({@code hlskit_chat_sessions}) and the messages it passed on or refused ({@code
 * hlskit_chat_messages_total}). {@link #NONE} counts nothing. Thread-safe.
 */
public class ChatStats {
  /** Counts nothing: a server without a meter registry. */
  public static final ChatStats NONE = new ChatStats();

  private ChatStats() {}

  void joined(String room) {}

  void left(String room) {}

  void delivered() {}

  void refused() {}

  /** Sessions joined in {@code room} on this instance now; 0 for {@link #NONE}. */
  int sessions(String room) {
    return 0;
  }

  /** Sessions per room now, most first; empty for {@link #NONE}. */
  List<Map.Entry<String, Integer>> ranked() {
    return List.of();
  }

  /** Counts into {@code registry}. */
  public static ChatStats into(MeterRegistry registry) {
    return new Metered(registry);
  }

  private static final class Metered extends ChatStats {
    private final Map<String, AtomicInteger> rooms = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter refused;

    Metered(MeterRegistry registry) {
      delivered = Counter.builder("hlskit.chat.messages").tag("result", "delivered")
          .description("chat messages passed on to the room").register(registry);
      refused = Counter.builder("hlskit.chat.messages").tag("result", "refused")
          .description("chat messages refused (rates, mutes, slow mode, chat down)")
          .register(registry);
    }

    @Override
    void joined(String room) {
      rooms.computeIfAbsent(room, r -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    void left(String room) {
      rooms.computeIfPresent(room, (r, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    @Override
    void delivered() {
      delivered.increment();
    }

    @Override
    void refused() {
      refused.increment();
    }

    @Override
    int sessions(String room) {
      AtomicInteger n = rooms.get(room);
      return n == null ? 0 : n.get();
    }

    @Override
    List<Map.Entry<String, Integer>> ranked() {
      List<Map.Entry<String, Integer>> list = new ArrayList<>();
      rooms.forEach((room, n) -> list.add(Map.entry(room, n.get())));
      list.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
      return list;
    }
  }
}
