package io.hlskit.chat.redis;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel-change notices between instances: when this instance's catalog sees a channel added,
 * changed or removed (its own upload, its own delete), the others hear of it over Redis and
 * refresh their catalogs at once, instead of at their next listing of the store. The catalogs'
 * own listing stays the backstop while Redis is away.
 *
 * <p>A notice only makes others refresh, and a refresh only notifies on a real change, so notices
 * do not echo back and forth.
 */
public final class RedisChannelNotices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisChannelNotices.class);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> pubsub;
  private final ChannelCatalog.Registration registration;
  private final ExecutorService refresher;
  private final String channel;
  private final String self = UUID.randomUUID().toString();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();

  private RedisChannelNotices(String uri, String namespace, ChannelCatalog catalog) {
    Objects.requireNonNull(catalog, "catalog");
    this.channel = namespace + ":channels";
    this.client = RedisClient.create(RedisURI.create(uri));
    client.setOptions(io.lettuce.core.ClientOptions.builder()
        .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(Duration.ofSeconds(2)))
        .build());
    try {
      this.connection = client.connect();
      this.pubsub = client.connectPubSub();
    } catch (RedisException e) {
      client.shutdown();
      throw new io.hlskit.core.ChatException("cannot reach Redis at " + uri + " for channel"
          + " notices (" + e.getMessage() + "); check the Redis URL given to attach()", e);
    }
    this.refresher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hlskit-channel-notices");
      t.setDaemon(true);
      return t;
    });
    pubsub.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String sender) {
        if (from.equals(channel) && !sender.equals(self)) {
          refreshSoon(catalog);
        }
      }
    });
    pubsub.sync().subscribe(channel);
    this.registration = catalog.addListener(this::changed);
  }

  /**
   * Connects {@code catalog} to the other instances on the Redis at {@code uri}: its changes are
   * announced, theirs make it refresh.
   *
   * @param namespace the prefix the instances share (the chat broker's, {@code hlskit})
   */
  public static RedisChannelNotices attach(String uri, String namespace, ChannelCatalog catalog) {
    return new RedisChannelNotices(uri, namespace, catalog);
  }

  private void changed(ChannelEvent event) {
    try {
      connection.async().publish(channel, self);
    } catch (RedisException e) {
      LOG.debug("could not announce a change of {}: {}", event.channelId(), e.getMessage());
    }
  }

  /** Coalesces a burst of notices into one refresh. */
  private void refreshSoon(ChannelCatalog catalog) {
    if (!refreshQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(() -> {
        refreshQueued.set(false);
        try {
          catalog.refresh();
        } catch (RuntimeException e) {
          LOG.warn("refreshing the channels after a notice failed: {}", e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      refreshQueued.set(false);
    }
  }

  @Override
  public void close() {
    registration.close();
    refresher.shutdownNow();
    pubsub.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
