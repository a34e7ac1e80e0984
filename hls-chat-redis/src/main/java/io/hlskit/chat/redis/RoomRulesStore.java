package io.hlskit.chat.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hlskit.core.chat.ChatRules;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' moderation rules in Redis, one JSON value per room, and a copy of each in memory
 * for up to {@value #RULES_FOR_SECONDS} s or until {@link #forget} (another instance said they
 * changed): checking a sender against the rules costs no command. Thread-safe.
 */
final class RoomRulesStore {
  private static final Logger LOG = LoggerFactory.getLogger(RoomRulesStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RULES_FOR_SECONDS = 10;
  private static final long RULES_FOR_NANOS = TimeUnit.SECONDS.toNanos(RULES_FOR_SECONDS);
  /** Rooms whose rules are kept at most; past it the copies are dropped and read again. */
  private static final int MOST_ROOMS = 10_000;

  private final RedisCommands<String, String> redis;
  private final RedisCalls calls;
  private final String namespace;
  private final Map<String, CachedRules> cache = new ConcurrentHashMap<>();

  private record CachedRules(ChatRules rules, long readAt) {}

  RoomRulesStore(RedisCommands<String, String> redis, RedisCalls calls, String namespace) {
    this.redis = redis;
    this.calls = calls;
    this.namespace = namespace;
  }

  /** The room's rules: the copy in memory while fresh, else read from Redis. */
  ChatRules read(String room) {
    CachedRules cached = cache.get(room);
    if (cached != null && System.nanoTime() - cached.readAt() < RULES_FOR_NANOS) {
      return cached.rules();
    }
    long readAt = System.nanoTime();
    String json = calls.call("get_rules", "reading the rules of " + room,
        () -> redis.get(key(room)));
    ChatRules rules = json == null ? ChatRules.NONE : parse(json, room);
    if (cache.size() > MOST_ROOMS) {
      cache.clear();
    }
    cache.put(room, new CachedRules(rules, readAt));
    return rules;
  }

  /** Stores the room's rules; the caller tells the other instances. */
  void write(String room, ChatRules rules) {
    ObjectNode n = JSON.createObjectNode();
    n.put("slowMs", rules.slowMode().toMillis());
    ObjectNode names = n.putObject("names");
    rules.mutedNames().forEach((k, until) -> names.put(k, until.toEpochMilli()));
    ObjectNode addresses = n.putObject("addresses");
    rules.mutedAddresses().forEach((k, until) -> addresses.put(k, until.toEpochMilli()));
    calls.call("set_rules", "setting the rules of " + room,
        () -> redis.set(key(room), n.toString()));
    cache.put(room, new CachedRules(rules, System.nanoTime()));
  }

  /** Drops the copy of the room's rules: they changed, or the room closed. */
  void forget(String room) {
    cache.remove(room);
  }

  /** The Redis key of the room's rules. */
  String key(String room) {
    return namespace + ":rules:" + room;
  }

  private static ChatRules parse(String json, String room) {
    try {
      JsonNode n = JSON.readTree(json);
      Map<String, Instant> names = new HashMap<>();
      n.path("names").fields().forEachRemaining(
          f -> names.put(f.getKey(), Instant.ofEpochMilli(f.getValue().asLong())));
      Map<String, Instant> addresses = new HashMap<>();
      n.path("addresses").fields().forEachRemaining(
          f -> addresses.put(f.getKey(), Instant.ofEpochMilli(f.getValue().asLong())));
      return new ChatRules(Duration.ofMillis(n.path("slowMs").asLong()), names, addresses);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("the chat rules of {} in Redis are unreadable ({}); taking none", room,
          e.getMessage());
      return ChatRules.NONE;
    }
  }
}
