package io.hlskit.chat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelListener;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Channel changes on one instance make the others' catalogs refresh, over a real Redis. */
class RedisChannelNoticesTest {
  static RedisTestServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisTestServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  /** Instance B's catalog: counts how often it is asked to look at the store again. */
  static final class CountingCatalog implements ChannelCatalog {
    final ChannelRegistry registry = ChannelRegistry.withoutScan();
    final AtomicInteger refreshes = new AtomicInteger();

    @Override
    public List<ChannelMetadata> list() {
      return registry.list();
    }

    @Override
    public Optional<ChannelMetadata> get(String id) {
      return registry.get(id);
    }

    @Override
    public Registration addListener(ChannelListener listener) {
      return registry.addListener(listener);
    }

    @Override
    public void refresh() {
      refreshes.incrementAndGet();
    }
  }

  @Test
  void aChannelPublishedOnOneInstanceMakesTheOthersRefresh() {
    String namespace = "notices-" + UUID.randomUUID();
    CountingCatalog onB = new CountingCatalog();
    try (InMemoryMediaStore onA = new InMemoryMediaStore();
        RedisChannelNotices a = RedisChannelNotices.attach(redis.uri(), namespace,
            onA.channels());
        RedisChannelNotices b = RedisChannelNotices.attach(redis.uri(), namespace, onB)) {
      try (ChannelDraft d = onA.draft("canal1")) {
        d.publish(ChannelMetadata.builder("canal1").build());
      }

      Eventually.await(Duration.ofSeconds(2), "B refreshed", () -> onB.refreshes.get() >= 1);

      // Read before deleting: the notice can reach B before the next line runs.
      int before = onB.refreshes.get();
      onA.deleteChannel("canal1");
      Eventually.await(Duration.ofSeconds(2), "B refreshed again",
          () -> onB.refreshes.get() > before);
    }
  }

  @Test
  void otherNamespacesAreNotDisturbed() throws Exception {
    CountingCatalog elsewhere = new CountingCatalog();
    try (InMemoryMediaStore onA = new InMemoryMediaStore();
        RedisChannelNotices a = RedisChannelNotices.attach(redis.uri(), "ns-a-" + UUID.randomUUID(),
            onA.channels());
        RedisChannelNotices other = RedisChannelNotices.attach(redis.uri(),
            "ns-b-" + UUID.randomUUID(), elsewhere)) {
      try (ChannelDraft d = onA.draft("canal1")) {
        d.publish(ChannelMetadata.builder("canal1").build());
      }
      assertThat(onA.channels().list()).hasSize(1);
      Thread.sleep(500);

      assertThat(elsewhere.refreshes).hasValue(0);
    }
  }
}
