package io.hlskit.chat.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.live.LiveEdge;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live edges announced on one instance are heard on the others, over a real Redis. */
class RedisLiveEdgeTest {
  static RedisTestServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisTestServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Test
  void anEdgeAnnouncedOnOneInstanceWakesTheOthersOnceAndItsOwnAtOnce() throws Exception {
    String ns = "edge-" + UUID.randomUUID();
    try (RedisLiveEdge a = RedisLiveEdge.attach(redis.uri(), ns);
        RedisLiveEdge b = RedisLiveEdge.attach(redis.uri(), ns);
        RedisLiveEdge elsewhere = RedisLiveEdge.attach(redis.uri(), ns + "-other")) {
      List<LiveEdge.Position> onA = new CopyOnWriteArrayList<>();
      List<LiveEdge.Position> onB = new CopyOnWriteArrayList<>();
      List<LiveEdge.Position> onOther = new CopyOnWriteArrayList<>();
      a.listen(onA::add);
      b.listen(onB::add);
      elsewhere.listen(onOther::add);

      LiveEdge.Position p = new LiveEdge.Position("news", "720p", 1_765_000_123L, 4, false,
          false);
      a.announce(p);
      assertThat(onA).containsExactly(p); // on the announcer's thread, before returning
      Eventually.await(Duration.ofSeconds(5), "instance b hears it", () -> onB.contains(p));
      LiveEdge.Position end = new LiveEdge.Position("news", "720p", 1_765_000_124L, -1, true,
          true);
      b.announce(end);
      Eventually.await(Duration.ofSeconds(5), "instance a hears the end",
          () -> onA.contains(end));

      // what is not an edge is ignored, the next one still heard
      RedisClient raw = RedisClient.create(redis.uri());
      try (var c = raw.connect()) {
        c.sync().publish(ns + ":live-edge", "garbage");
        c.sync().publish(ns + ":live-edge", "x|news|720p|-5|0|0|0");
      } finally {
        raw.shutdown();
      }
      LiveEdge.Position next = new LiveEdge.Position("news", "360p", 7, 0, false, false);
      a.announce(next);
      Eventually.await(Duration.ofSeconds(5), "b hears the next", () -> onB.contains(next));
      assertThat(onB).containsExactly(p, end, next);
      assertThat(onA).containsExactly(p, end, next); // its own once, not echoed back
      assertThat(onOther).isEmpty();
    }
  }
}
