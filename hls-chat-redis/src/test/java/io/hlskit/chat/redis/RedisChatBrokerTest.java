package io.hlskit.chat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.ChatException;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.contract.ChatBrokerContract;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.contract.RecordingListener;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ChatBroker contract and the Redis-specific promises, against a real redis-server. */
class RedisChatBrokerTest extends ChatBrokerContract {
  static RedisTestServer redis;
  private String namespace;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisTestServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  protected ChatBroker newBroker() {
    namespace = "test-" + UUID.randomUUID();
    return RedisChatBroker.builder(redis.uri()).namespace(namespace).build();
  }

  @Override
  protected ChatBroker newPeer(ChatBroker broker) {
    return RedisChatBroker.builder(redis.uri()).namespace(namespace).build();
  }

  @Test
  void anUnreachableRedisIsAClearErrorAtStart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String nowhere = "redis://127.0.0.1:" + port;
    assertThatThrownBy(() -> RedisChatBroker.builder(nowhere).build())
        .isInstanceOf(ChatException.class)
        .hasMessageContaining("cannot reach Redis at 127.0.0.1:" + port)
        .hasMessageContaining("check the Redis URL");
  }

  @Test
  void aDeadInstanceStopsBeingCounted() throws Exception {
    RecordingListener here = new RecordingListener();
    try (ChatBroker survivor = RedisChatBroker.builder(redis.uri()).namespace(namespace)
        .heartbeat(Duration.ofMillis(300)).build();
        ChatSession s = survivor.join("canal1", "ana", here)) {
      // another instance in a JVM of its own, with three clients; then it is killed, not closed
      Process other = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ChatPeerMain.class.getName(),
          redis.uri(), namespace, "3").redirectErrorStream(true).start();
      try {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
          // skip its log
        }
        assertThat(line).isEqualTo("READY");
        here.awaitPresence(4, 4, Duration.ofSeconds(10));
      } finally {
        other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }

      long killed = System.nanoTime();
      here.awaitPresence(1, 1, Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(30));
      assertThat(survivor.presence("canal1").online()).isEqualTo(1);
    }
  }

  @Test
  void redisGoingAwayIsAnErrorNotAHangAndChatComesBack() throws Exception {
    assumeTrue(redis.canStop(), "HLS_REDIS_URL points at a Redis the tests cannot stop");
    RecordingListener onA = new RecordingListener();
    RecordingListener onB = new RecordingListener();
    ChatBroker peer = newPeer(broker);
    try {
      ChatSession a = broker.join("canal1", "ana", onA);
      ChatSession b = peer.join("canal1", "ben", onB);
      ChatMessage before = a.send("antes");
      onB.awaitMessages(1, Duration.ofSeconds(10));

      redis.stop();
      assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
          assertThatThrownBy(() -> a.send("perdido")).isInstanceOf(ChatException.class)
              .hasMessageContaining("chat is unavailable")
              .hasMessageContaining("try again"));
      Eventually.await(Duration.ofSeconds(5), "broker reports Redis down",
          () -> !broker.isAvailable());

      redis.restart();
      Eventually.await(Duration.ofSeconds(20), "broker reconnected", broker::isAvailable);
      Eventually.await(Duration.ofSeconds(20), "peer reconnected", peer::isAvailable);
      ChatMessage after = sendWhenBack(b, "después");
      onA.awaitMessages(2, Duration.ofSeconds(10));

      assertThat(onA.messages).extracting(ChatMessage::text).containsExactly("antes", "después");
      assertThat(broker.history("canal1")).containsExactly(before, after);
      assertThat(onA.messages).extracting(ChatMessage::text).doesNotContain("perdido");
      onA.awaitPresence(2, 2, Duration.ofSeconds(10));
    } finally {
      peer.close();
    }
  }

  @Test
  void withARegistryCommandsAreTimedAndAnOutageShows() throws Exception {
    assumeTrue(redis.canStop(), "HLS_REDIS_URL points at a Redis the tests cannot stop");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisChatBroker timed = RedisChatBroker.builder(redis.uri()).namespace(namespace)
        .meterRegistry(registry).build()) {
      ChatSession a = timed.join("canal1", "ana", new RecordingListener());
      a.send("hola");
      a.send("qué tal");
      assertThat(commands(registry, "send", "ok")).isEqualTo(2);
      assertThat(commands(registry, "join", "ok")).isEqualTo(1);
      assertThat(commands(registry, "history", "ok")).isEqualTo(1);
      assertThat(connected(registry)).isEqualTo(1);

      redis.stop();
      assertThatThrownBy(() -> a.send("perdido")).isInstanceOf(ChatException.class);
      assertThat(commands(registry, "send", "error")).isEqualTo(1);
      Eventually.await(Duration.ofSeconds(5), "the gauge shows Redis down",
          () -> connected(registry) == 0);
      redis.restart();
      Eventually.await(Duration.ofSeconds(20), "the gauge shows Redis back",
          () -> connected(registry) == 1);
      assertThat(registry.get("hlskit.chat.broker.dropped").tag("broker", "redis")
          .functionCounter().count()).isZero();
    }
  }

  private static long commands(SimpleMeterRegistry r, String op, String result) {
    Timer t = r.find("hlskit.chat.broker").tags("broker", "redis", "op", op, "result", result)
        .timer();
    return t == null ? 0 : t.count();
  }

  private static double connected(SimpleMeterRegistry r) {
    return r.get("hlskit.chat.broker.connected").tag("broker", "redis").gauge().value();
  }

  /** The pub/sub connection may come back a moment after the command one: retry briefly. */
  private static ChatMessage sendWhenBack(ChatSession s, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return s.send(text);
      } catch (ChatException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
