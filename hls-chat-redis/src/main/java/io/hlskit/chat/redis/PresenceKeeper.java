package io.hlskit.chat.redis;

import io.hlskit.chat.redis.internal.LuaScripts;
import io.hlskit.core.ChatException;
import io.hlskit.core.chat.Presence;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link RedisChatBroker}'s part of the presence counts: its counts (online, and watching per
 * room) in a hash of its own that expires unless renewed, rewritten whole on every heartbeat (so
 * a restarted Redis is repaired) and renewed with the names its sessions hold; and recounts of
 * the sums over every live instance, told to the sessions whose counts changed. Changes are
 * written and announced, and recounts made, at most once per {@value #PRESENCE_MS} ms however
 * many come. Writes run on a thread of its own ({@code hlskit-redis-presence}), recounts are
 * delivered on the broker's delivery thread. Thread-safe.
 */
final class PresenceKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceKeeper.class);
  /** Rewrites an instance's counts: KEYS[1] its hash, KEYS[2] the instance set. */
  private static final String HEARTBEAT = LuaScripts.load("heartbeat");
  /** Sums the live instances' counts: online, then watching per room. */
  private static final String COUNT = LuaScripts.load("count");
  /** Renews the name keys this instance holds. */
  private static final String RENEW = LuaScripts.load("renew");
  /** The event that tells the other instances to recount. */
  static final String NOTICE = "{\"t\":\"presence\"}";
  /** The least time between two writes, or two recounts, of this instance. */
  private static final long PRESENCE_MS = 1000;

  private final RedisCommands<String, String> redis;
  private final RedisCalls calls;
  private final String events;
  private final String instanceKey;
  private final String instancesKey;
  private final Duration ttl;
  /** A copy of the broker's sessions by room. */
  private final Supplier<Map<String, List<RedisChatSession>>> sessions;
  private final Executor delivery;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean countsPending = new AtomicBoolean();
  private final AtomicBoolean recountPending = new AtomicBoolean();
  /** When the counts were last written, or recounted (System.nanoTime). */
  private volatile long lastCountsWrite = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
  private volatile long lastRecount = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
  private volatile boolean closed;

  /**
   * @param events the pub/sub channel where the instances tell each other of changes
   * @param ttl how long this instance's counts and names live unless renewed
   */
  PresenceKeeper(RedisCommands<String, String> redis, RedisCalls calls, String events,
      String instanceKey, String instancesKey, Duration ttl,
      Supplier<Map<String, List<RedisChatSession>>> sessions, Executor delivery) {
    this.redis = redis;
    this.calls = calls;
    this.events = events;
    this.instanceKey = instanceKey;
    this.instancesKey = instancesKey;
    this.ttl = ttl;
    this.sessions = sessions;
    this.delivery = delivery;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hlskit-redis-presence");
      t.setDaemon(true);
      return t;
    });
  }

  /** Writes the counts now, then every {@code heartbeat}. */
  void start(Duration heartbeat) {
    writeCounts();
    thread.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The room's counts, summed over the live instances. */
  Presence presence(String room) {
    List<Long> counts = count(List.of(room));
    return presence(room, counts.get(0), counts.get(1));
  }

  /**
   * This instance's sessions changed: its counts are written and the other instances told, in
   * the background and at most once per {@value #PRESENCE_MS} ms however many changes come.
   */
  void countsChanged() {
    if (closed || !countsPending.compareAndSet(false, true)) {
      return; // one write is already due: it will count this change too
    }
    schedule(lastCountsWrite, () -> {
      countsPending.set(false);
      lastCountsWrite = System.nanoTime();
      try {
        writeCounts();
        calls.call("publish", "telling the other instances", () -> redis.publish(events, NOTICE));
      } catch (ChatException e) {
        LOG.debug("cannot write presence now; the heartbeat will: {}", e.getMessage());
      }
    });
  }

  /** Recounts on the delivery thread, at most once per {@value #PRESENCE_MS} ms. */
  void recountSoon() {
    if (closed || !recountPending.compareAndSet(false, true)) {
      return;
    }
    schedule(lastRecount, () -> {
      recountPending.set(false);
      lastRecount = System.nanoTime();
      try {
        delivery.execute(this::refresh);
      } catch (RejectedExecutionException e) {
        // closing, or the queue is full: the next heartbeat recounts
      }
    });
  }

  /** Stops, and takes this instance's counts out of the sums at once (else they expire). */
  void close() {
    closed = true;
    thread.shutdownNow();
    try {
      redis.del(instanceKey);
      redis.srem(instancesKey, instanceKey);
      redis.publish(events, NOTICE);
    } catch (RedisException e) {
      LOG.debug("could not withdraw this instance's counts (they expire): {}", e.getMessage());
    }
  }

  /** Online, then watching for each room, summed over the live instances. */
  private List<Long> count(List<String> rooms) {
    return calls.call("presence", "counting who is online", () -> redis.eval(COUNT,
        ScriptOutputType.MULTI, new String[] {instancesKey}, rooms.toArray(String[]::new)));
  }

  private static Presence presence(String room, long online, long watching) {
    // between two heartbeats the sums of different instances can be a moment apart
    return new Presence(room, Math.max(online, watching), watching);
  }

  /** Recounts and tells each session whose counts changed; on the delivery thread. */
  private void refresh() {
    Map<String, List<RedisChatSession>> byRoom = sessions.get();
    if (byRoom.isEmpty()) {
      return;
    }
    List<String> rooms = new ArrayList<>(byRoom.keySet());
    List<Long> counts;
    try {
      counts = count(rooms);
    } catch (ChatException e) {
      LOG.debug("cannot count presence now: {}", e.getMessage());
      return;
    }
    for (int i = 0; i < rooms.size(); i++) {
      Presence p = presence(rooms.get(i), counts.get(0), counts.get(i + 1));
      for (RedisChatSession s : byRoom.get(rooms.get(i))) {
        s.offerPresence(p);
      }
    }
  }

  /** Rewrites this instance's whole hash: what is true now, whatever Redis held before. */
  private synchronized void writeCounts() {
    List<String> args = new ArrayList<>();
    args.add(Long.toString(ttl.toMillis()));
    long online = 0;
    for (Map.Entry<String, List<RedisChatSession>> e : sessions.get().entrySet()) {
      args.add("r:" + e.getKey());
      args.add(Integer.toString(e.getValue().size()));
      online += e.getValue().size();
    }
    args.add(1, Long.toString(online));
    calls.call("heartbeat", "updating who is online", () -> redis.eval(HEARTBEAT,
        ScriptOutputType.INTEGER, new String[] {instanceKey, instancesKey},
        args.toArray(String[]::new)));
  }

  private void beat() {
    try {
      writeCounts();
      renewNames();
      recountSoon(); // catches instances that died
    } catch (ChatException e) {
      LOG.debug("presence heartbeat skipped: {}", e.getMessage());
    }
  }

  /** Runs {@code task} on the presence thread at once, or a second after {@code last}. */
  private void schedule(long last, Runnable task) {
    long wait = Math.max(0, last + TimeUnit.MILLISECONDS.toNanos(PRESENCE_MS) - System.nanoTime());
    try {
      thread.schedule(task, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Renews the keys of every name held here, in one script. */
  private void renewNames() {
    List<String> keys = new ArrayList<>();
    List<String> args = new ArrayList<>();
    args.add(Long.toString(ttl.toMillis()));
    sessions.get().values().forEach(members -> members.forEach(m -> {
      keys.add(m.nameKey);
      args.add(m.token);
    }));
    if (!keys.isEmpty()) {
      calls.call("renew", "renewing chat names", () -> redis.eval(RENEW,
          ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(String[]::new)));
    }
  }
}
