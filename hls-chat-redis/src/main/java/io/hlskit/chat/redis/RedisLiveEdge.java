package io.hlskit.chat.redis;

import io.hlskit.core.ChatException;
import io.hlskit.core.live.LiveEdge;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LiveEdge} across instances: each position announced here is published on Redis
 * ({@code <namespace>:live-edge}) and heard by every instance attached to the same Redis, so
 * that a Low-Latency HLS request held on any of them wakes when the instance that takes the
 * publisher writes the part. Listeners on this instance hear its own announcements at once,
 * without the round trip.
 *
 * <p>While Redis is away, announcements are dropped (the other instances' held requests then
 * answer when they time out, from the store) and Lettuce reconnects and subscribes again.
 * Listeners run on Lettuce's event loop, or on the announcer's thread for this instance's own.
 */
public final class RedisLiveEdge implements LiveEdge, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveEdge.class);

  private final LiveEdge local = LiveEdge.inProcess();
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final String topic;
  private final String self = UUID.randomUUID().toString();
  private final AtomicLong dropped = new AtomicLong();

  private RedisLiveEdge(String uri, String namespace) {
    this.topic = namespace + ":live-edge";
    this.client = RedisClient.create(RedisURI.create(uri));
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
        .build());
    try {
      this.connection = client.connect();
      this.pubsub = client.connectPubSub();
    } catch (RedisException e) {
      client.shutdown();
      throw new ChatException("cannot reach Redis at " + uri + " for live edges ("
          + e.getMessage() + "); check the Redis URL given to attach()", e);
    }
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String text) {
        if (from.equals(topic)) {
          heard(text);
        }
      }
    });
    pubsub.sync().subscribe(topic);
  }

  /**
   * Connects to the Redis at {@code uri}; instances sharing {@code namespace} (the chat
   * broker's, {@code hlskit}) hear each other's live edges.
   */
  public static RedisLiveEdge attach(String uri, String namespace) {
    return new RedisLiveEdge(uri, namespace);
  }

  @Override
  public void announce(Position p) {
    local.announce(p);
    try {
      connection.async().publish(topic, encode(self, p));
    } catch (RedisException e) {
      if (dropped.getAndIncrement() % 1000 == 0) {
        LOG.warn("live edges cannot reach Redis ({}); other instances answer held requests"
            + " late until it is back", e.getMessage());
      }
    }
  }

  @Override
  public Registration listen(Consumer<Position> listener) {
    return local.listen(listener);
  }

  /** {@code sender|channel|rendition|msn|part|complete|ended}: ids hold no '|'. */
  static String encode(String sender, Position p) {
    return sender + '|' + p.channel() + '|' + p.rendition() + '|' + p.msn() + '|' + p.part()
        + '|' + (p.complete() ? 1 : 0) + '|' + (p.ended() ? 1 : 0);
  }

  private void heard(String text) {
    String[] f = text.split("\\|", -1);
    if (f.length != 7) {
      LOG.debug("not a live edge on {}: {}", topic, text);
      return;
    }
    if (f[0].equals(self)) {
      return; // heard at once when announced
    }
    try {
      local.announce(new Position(f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
          f[5].equals("1"), f[6].equals("1")));
    } catch (IllegalArgumentException e) {
      LOG.debug("not a live edge on {}: {} ({})", topic, text, e.getMessage());
    }
  }

  @Override
  public void close() {
    pubsub.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
