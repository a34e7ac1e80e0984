package io.hlskit.chat.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hlskit.chat.redis.internal.BrokerGauges;
import io.hlskit.chat.redis.internal.LuaScripts;
import io.hlskit.chat.redis.internal.StreamIds;
import io.hlskit.core.ChatException;
import io.hlskit.core.ChatNameTakenException;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatNames;
import io.hlskit.core.chat.ChatRules;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.chat.Presence;
import io.hlskit.core.internal.OperationTimer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatBroker} on Redis, so that the clients of several server instances share rooms,
 * history and counts.
 *
 * <ul>
 *   <li>Messages: a Lua script appends each message to the room's stream ({@code XADD ... MAXLEN
 *       100}: the history, capped) and publishes it on the namespace's one pub/sub channel in
 *       the same step, so the order of delivery is the order of the history and the stream id
 *       is the message id, unique and increasing within a room. Each instance holds one
 *       subscription, not one per client, and fans out to its own sessions.
 *   <li>Joining: a session buffers what arrives while its history is read, then drops what the
 *       history already holds, so history and live messages never overlap or leave a gap.
 *   <li>Presence: each instance keeps its counts in a hash that expires unless renewed (every
 *       {@code heartbeat}, default 5 s, TTL three times that); the counts are the sum over the
 *       live hashes, so a dead instance stops being counted within the TTL, and an instance
 *       rewrites its whole hash on every heartbeat, so a restarted Redis is repaired. Joins and
 *       leaves are written and announced in the background, at most once a second however many
 *       there are, and each instance recounts at most once a second: a flood of joins costs
 *       Redis a few commands a second, and a session hears of counts only when they changed.
 *   <li>Names: a name is held in a room by a key ({@code SET NX} with the presence TTL, renewed
 *       with the heartbeat) whose value is the holding session's token, so two sessions on any
 *       instances cannot share a name, and a dead instance's names come free within the TTL.
 *   <li>Closing a room deletes its stream and tells every instance, which ends its sessions there.
 *   <li>Moderation: a deleted message leaves the stream ({@code XDEL}) and every instance tells
 *       its sessions; a room's rules are one JSON value, which each instance keeps in memory for
 *       up to 10 s or until told they changed.
 *   <li>Faults: with Redis away, commands fail at once (not queued), so a sender gets a {@link
 *       ChatException} and the server an error frame; {@link #isAvailable()} says so; Lettuce
 *       reconnects and resubscribes by itself when Redis is back.
 * </ul>
 *
 * <p>Thread-safe. Listeners are called on one delivery thread per broker, in order, never
 * concurrently, and never while a lock of the broker is held.
 */
public final class RedisChatBroker implements ChatBroker {
  private static final Logger LOG = LoggerFactory.getLogger(RedisChatBroker.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** XADD and PUBLISH in one step: KEYS[1] the stream, ARGV: channel, room, user, text, time. */
  private static final String SEND = LuaScripts.load("send");
  /** Deletes a name key if its owner still holds it. */
  private static final String RELEASE = LuaScripts.load("release");

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final String namespace;
  private final String events;
  private final Duration ttl;
  private final Clock clock = Clock.systemUTC();
  /**
   * Delivers to listeners, one event at a time, in arrival order; at most {@value
   * #DELIVERY_QUEUE} events wait, later ones are dropped (and logged) rather than pile up.
   */
  private final ExecutorService delivery;
  private static final int DELIVERY_QUEUE = 10_000;
  private final AtomicLong dropped = new AtomicLong();
  private final PresenceKeeper presence;
  private final String where;
  private final RedisCalls calls;

  /** This instance's sessions by room; guarded by itself. */
  private final Map<String, Set<RedisChatSession>> rooms = new HashMap<>();
  private volatile boolean closed;
  private final RoomRulesStore rules;

  private RedisChatBroker(Builder b) {
    this.namespace = b.namespace;
    this.events = namespace + ":events";
    this.ttl = b.heartbeat.multipliedBy(3);
    RedisURI uri = RedisURI.create(b.uri);
    this.where = uri.getHost() + ":" + uri.getPort();
    this.calls = new RedisCalls(OperationTimer.forChatBroker(b.meterRegistry, "redis"), where);
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // fail at once while disconnected: a sender learns now, not after a queue times out
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .build());
    try {
      this.connection = client.connect();
      this.redis = connection.sync();
      this.pubsub = client.connectPubSub();
      this.rules = new RoomRulesStore(redis, calls, namespace);
    } catch (RedisException e) {
      client.shutdown();
      throw new ChatException("cannot reach Redis at " + where + " (" + RedisCalls.rootMessage(e)
          + "); check the Redis URL given to the builder and that Redis is running", e);
    }
    this.delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(DELIVERY_QUEUE), daemon("hlskit-redis-chat"),
        (task, pool) -> {
          if (!pool.isShutdown() && dropped.getAndIncrement() % 1000 == 0) {
            LOG.warn("chat events arrive faster than they can be delivered; dropped {} so far",
                dropped.get());
          }
        });
    this.presence = new PresenceKeeper(redis, calls, events, namespace + ":instance:"
        + b.instanceId, namespace + ":instances", ttl, this::sessionsByRoom, delivery);
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String channel, String message) {
        if (channel.equals(events)) {
          try {
            delivery.execute(() -> onEvent(message));
          } catch (RejectedExecutionException e) {
            // closing; a full queue is logged by the rejection handler
          }
        }
      }
    });
    pubsub.sync().subscribe(events);
    if (b.meterRegistry != null) {
      BrokerGauges.bind(b.meterRegistry, "redis", this::isAvailable, dropped::get);
    }
    presence.start(b.heartbeat);
  }

  /** A builder; {@code uri} is {@code redis://host:port} (or {@code rediss://} for TLS). */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  // ---- joining and leaving -------------------------------------------------------------------

  @Override
  public ChatSession join(String room, String username, ChatListener listener) {
    requireText(room, "room");
    requireText(username, "username");
    if (listener == null) {
      throw new ChatException("a chat session needs a listener");
    }
    if (closed) {
      throw new ChatException("the chat broker is closed");
    }
    RedisChatSession s = new RedisChatSession(this, room, username, listener,
        namespace + ":name:" + room + ":" + ChatNames.fold(username));
    Boolean taken = call("join", "joining " + room, () -> redis.set(s.nameKey, s.token,
        SetArgs.Builder.nx().px(ttl.toMillis()))) == null;
    if (taken) {
      throw new ChatNameTakenException("someone in " + room + " is called " + username
          + " already; choose another name");
    }
    synchronized (rooms) {
      rooms.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(s);
    }
    try {
      // live messages are buffered from here; the history read next decides which to keep
      s.history = readHistory(room);
    } catch (ChatException e) {
      remove(s);
      releaseName(s);
      throw e;
    }
    String lastId = s.history.isEmpty() ? null : s.history.get(s.history.size() - 1).id();
    try {
      delivery.execute(() -> s.activate(lastId));
    } catch (RejectedExecutionException e) {
      remove(s);
      releaseName(s);
      throw new ChatException(closed ? "the chat broker is closed"
          : "the chat is too busy to join now; try again shortly");
    }
    presence.countsChanged();
    return s;
  }

  private void remove(RedisChatSession s) {
    synchronized (rooms) {
      Set<RedisChatSession> members = rooms.get(s.room);
      if (members != null) {
        members.remove(s);
        if (members.isEmpty()) {
          rooms.remove(s.room);
        }
      }
    }
  }

  @Override
  public List<ChatMessage> history(String room) {
    requireText(room, "room");
    return readHistory(room);
  }

  private List<ChatMessage> readHistory(String room) {
    List<StreamMessage<String, String>> newestFirst = call("history", "reading the history of " + room,
        () -> redis.xrevrange(streamKey(room), Range.create("-", "+"),
            Limit.create(0, HISTORY_SIZE)));
    List<ChatMessage> history = new ArrayList<>(newestFirst.size());
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      StreamMessage<String, String> m = newestFirst.get(i);
      Map<String, String> f = m.getBody();
      history.add(new ChatMessage(m.getId(), room, f.get("user"), f.get("text"),
          Instant.parse(f.get("ts"))));
    }
    return Collections.unmodifiableList(history);
  }

  @Override
  public Presence presence(String room) {
    requireText(room, "room");
    return presence.presence(room);
  }

  @Override
  public boolean isAvailable() {
    return !closed && connection.isOpen() && pubsub.isOpen();
  }

  // ---- sending -------------------------------------------------------------------------------

  /** Sends for {@code s}; on the caller's thread. */
  ChatMessage send(RedisChatSession s, String text) {
    requireText(text, "message text");
    if (s.left || closed) {
      throw new ChatException("this chat session has left " + s.room + "; join again to send");
    }
    Instant now = clock.instant();
    String id = call("send", "sending to " + s.room, () -> redis.eval(SEND, ScriptOutputType.VALUE,
        new String[] {streamKey(s.room)}, events, s.room, s.username, text, now.toString(),
        Integer.toString(HISTORY_SIZE)));
    return new ChatMessage(id, s.room, s.username, text, now);
  }

  private String streamKey(String room) {
    return namespace + ":room:" + room;
  }

  // ---- events from Redis (on the delivery thread) --------------------------------------------

  private void onEvent(String payload) {
    JsonNode e;
    try {
      e = JSON.readTree(payload);
    } catch (JsonProcessingException ex) {
      LOG.warn("ignoring a malformed chat event on {}: {}", events, ex.getOriginalMessage());
      return;
    }
    switch (e.path("t").asText()) {
      case "msg" -> {
        ChatMessage m;
        try {
          m = new ChatMessage(e.path("id").asText(), e.path("room").asText(),
              e.path("user").asText(), e.path("text").asText(),
              Instant.parse(e.path("ts").asText()));
        } catch (RuntimeException ex) {
          LOG.warn("ignoring a chat event without a valid message: {}", ex.toString());
          return;
        }
        for (RedisChatSession s : members(m.room())) {
          s.offer(m);
        }
      }
      case "presence" -> presence.recountSoon();
      case "closed" -> {
        rules.forget(e.path("room").asText());
        endRoom(e.path("room").asText());
      }
      case "deleted" -> {
        String id = e.path("id").asText();
        for (RedisChatSession s : members(e.path("room").asText())) {
          s.deleted(id);
        }
      }
      case "rules" -> rules.forget(e.path("room").asText());
      default -> LOG.debug("ignoring chat event {}", payload);
    }
  }

  @Override
  public void deleteMessage(String room, String messageId) {
    requireText(room, "room");
    if (!StreamIds.isValid(messageId)) {
      return; // not an id this broker gave: nothing to delete
    }
    long removed = call("delete", "deleting a message of " + room,
        () -> redis.xdel(streamKey(room), messageId));
    if (removed > 0) {
      ObjectNode n = JSON.createObjectNode();
      n.put("t", "deleted");
      n.put("room", room);
      n.put("id", messageId);
      publish(n.toString());
    }
  }

  @Override
  public ChatRules rules(String room) {
    requireText(room, "room");
    return rules.read(room);
  }

  @Override
  public void setRules(String room, ChatRules rules) {
    requireText(room, "room");
    this.rules.write(room, rules);
    ObjectNode notice = JSON.createObjectNode();
    notice.put("t", "rules");
    notice.put("room", room);
    publish(notice.toString());
  }

  @Override
  public void closeRoom(String room) {
    requireText(room, "room");
    call("close_room", "closing " + room, () -> redis.del(streamKey(room), rules.key(room)));
    ObjectNode n = JSON.createObjectNode();
    n.put("t", "closed");
    n.put("room", room);
    publish(n.toString());
  }

  /** Ends this instance's sessions in a closed room; on the delivery thread. */
  private void endRoom(String room) {
    List<RedisChatSession> members;
    synchronized (rooms) {
      Set<RedisChatSession> gone = rooms.remove(room);
      members = gone == null ? List.of() : new ArrayList<>(gone);
    }
    for (RedisChatSession s : members) {
      s.left = true;
      releaseName(s);
      s.roomClosed();
    }
    if (!members.isEmpty()) {
      presence.countsChanged();
    }
  }

  /** {@code s} left: forget it, let its name go and recount. */
  void leave(RedisChatSession s) {
    remove(s);
    releaseName(s);
    presence.countsChanged();
  }

  private void releaseName(RedisChatSession s) {
    try {
      call("leave", "leaving " + s.room, () -> redis.eval(RELEASE, ScriptOutputType.INTEGER,
          new String[] {s.nameKey}, s.token));
    } catch (ChatException e) {
      LOG.debug("the name {} in {} will come free when its key expires", s.username, s.room);
    }
  }

  /** A copy of this instance's sessions by room. */
  private Map<String, List<RedisChatSession>> sessionsByRoom() {
    Map<String, List<RedisChatSession>> copy = new HashMap<>();
    synchronized (rooms) {
      rooms.forEach((room, members) -> copy.put(room, new ArrayList<>(members)));
    }
    return copy;
  }

  private List<RedisChatSession> members(String room) {
    synchronized (rooms) {
      Set<RedisChatSession> members = rooms.get(room);
      return members == null ? List.of() : new ArrayList<>(members);
    }
  }

  private void publish(String payload) {
    call("publish", "telling the other instances", () -> redis.publish(events, payload));
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private <T> T call(String op, String action, java.util.function.Supplier<T> command) {
    return calls.call(op, action, command);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ChatException("the " + what + " must not be blank");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    presence.close(); // first: sessions that leave from now on schedule no more writes
    List<RedisChatSession> all = new ArrayList<>();
    synchronized (rooms) {
      rooms.values().forEach(all::addAll);
    }
    for (RedisChatSession s : all) {
      s.left = true;
      releaseName(s);
      remove(s);
    }
    delivery.shutdown();
    try {
      delivery.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pubsub.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "RedisChatBroker[" + where + ", " + namespace + "]";
  }

  /** Settings of a {@link RedisChatBroker}. */
  public static final class Builder {
    private final String uri;
    private String namespace = "hlskit";
    private String instanceId = UUID.randomUUID().toString();
    private Duration heartbeat = Duration.ofSeconds(5);
    private Duration commandTimeout = Duration.ofSeconds(2);
    private MeterRegistry meterRegistry;

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * The prefix of every key and channel ({@code hlskit}); instances that share rooms share it,
     * tests and unrelated deployments on one Redis use their own.
     */
    public Builder namespace(String namespace) {
      if (namespace == null || namespace.isBlank() || namespace.contains(" ")) {
        throw new IllegalArgumentException("a namespace is a non-blank word: " + namespace);
      }
      this.namespace = namespace;
      return this;
    }

    /** This instance's name in the presence counts; random by default. */
    public Builder instanceId(String id) {
      this.instanceId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * How often this instance renews its counts (5 s); a dead instance's counts expire after
     * three times that.
     */
    public Builder heartbeat(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("the heartbeat must be positive: " + interval);
      }
      this.heartbeat = interval;
      return this;
    }

    /** How long one Redis command may take before it fails (2 s). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Records into {@code registry}: {@code hlskit_chat_broker_seconds{broker="redis", op,
     * result}} for each Redis command (op = join, send, history, presence, delete, get_rules,
     * set_rules, close_room, leave, heartbeat, renew, publish), {@code
     * hlskit_chat_broker_connected} (1 while both connections are up) and {@code
     * hlskit_chat_broker_dropped_total} (events dropped because listeners fell behind). None by
     * default; without one, Micrometer need not be on the class path.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Connects and subscribes.
     *
     * @throws ChatException when Redis cannot be reached, saying where and what to check
     */
    public RedisChatBroker build() {
      return new RedisChatBroker(this);
    }
  }
}
