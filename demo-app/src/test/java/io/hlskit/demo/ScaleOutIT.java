package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.hlskit.transcode.internal.SampleVideo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out story with the packaged jar: two {@code serve --storage s3 --chat redis}
 * processes on one bucket (S3Proxy in this JVM) and one real redis-server. A video uploaded
 * through A is listed and played through B at once (a Redis notice, not B's 60 s listing); chat
 * clients on A and B see each other and the same counts; a linear channel made through A gives
 * the same live playlist through B; with A stopped B keeps serving; with
 * Redis restarted the chat on B works again.
 */
class ScaleOutIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "scale-out-token";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void twoInstancesOnOneBucketAndOneRedis() throws Exception {
    Tools.requireFfprobe();
    try (S3TestServer s3 = S3TestServer.create(); RedisTestServer redis = RedisTestServer.start()) {
      Map<String, String> env = new HashMap<>(Map.of("HLS_STORAGE", "s3",
          "HLS_S3_ENDPOINT", s3.endpoint().toString(), "HLS_S3_BUCKET", s3.newBucket(),
          "HLS_S3_PATH_STYLE", "true", "HLS_S3_REGION", "us-east-1",
          // long enough that only a Redis notice can explain B seeing A's upload in time
          "HLS_S3_REFRESH_SECONDS", "60",
          "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()));
      env.putAll(Map.of("HLS_CHAT", "redis", "HLS_REDIS_URL", redis.uri(),
          "HLS_ADMIN_TOKEN", TOKEN, "HLS_SAMPLES", "false"));
      try (DemoProcess a = DemoProcess.start(dir, env, "serve", "--port", "0", "--host",
          "127.0.0.1");
          DemoProcess b = DemoProcess.start(dir, env, "serve", "--port", "0", "--host",
              "127.0.0.1")) {
        String baseA = a.baseUrl();
        String baseB = b.baseUrl();

        // a channel uploaded through A is listed and playable through B
        Path video = dir.resolve("upload.mp4");
        SampleVideo.write(video, SampleVideo.Spec.mp4(320, 180, 4));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(baseA
                + "/api/channels?id=canal1&title=Subido%20a%20A&profile=low"))
            .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "video/mp4")
            .POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String job = JSON.readTree(upload.body()).get("id").asText();
        awaitJson(baseA + "/api/jobs/" + job, j -> j.get("state").asText().equals("done"),
            Duration.ofSeconds(120), a);
        long published = System.nanoTime();
        awaitJson(baseB + "/api/channels", list -> list.size() == 1, Duration.ofSeconds(10), b);
        assertThat(Duration.ofNanos(System.nanoTime() - published))
            .as("seen through B by notice, not by its 60 s listing")
            .isLessThan(Duration.ofSeconds(5));
        double duration = Double.parseDouble(Tools.ffprobe("-show_entries", "format=duration",
            "-of", "csv=p=0", baseB + "/streams/canal1/playlist.m3u8").strip());
        assertThat(duration).isBetween(3.8, 4.2);

        // a linear channel made through A plays the same live playlist through B
        HttpResponse<String> linear = http.send(HttpRequest.newBuilder(URI.create(baseA
                + "/api/linear")).header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"news\",\"title\":\"News\","
                + "\"schedule\":{\"items\":[{\"channel\":\"canal1\"},{\"channel\":"
                + "\"canal1\"}]}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(linear.statusCode()).as(linear.body()).isEqualTo(201);
        String media = JSON.readTree(linear.body()).get("renditions").get(0).get("playlist")
            .asText();
        awaitJson(baseB + "/api/channels", list -> list.size() == 2, Duration.ofSeconds(10), b);
        boolean same = false;
        String fromA = "";
        String fromB = "";
        for (int i = 0; i < 5 && !same; i++) { // a segment may start between the two requests
          fromA = get(baseA + media);
          fromB = get(baseB + media);
          same = fromA.equals(fromB) && fromA.contains("#EXTINF");
        }
        assertThat(fromB).as("the same second on both instances").isEqualTo(fromA);
        assertThat(same).isTrue();

        // chat across the instances: messages and counts
        ChatClient ana = new ChatClient(baseA, "canal1").join("ana");
        ChatClient ben = new ChatClient(baseB, "canal1").join("ben");
        ana.await("user_count", f -> f.get("online").asLong() == 2
            && f.get("watching").asLong() == 2);
        ben.await("user_count", f -> f.get("online").asLong() == 2
            && f.get("watching").asLong() == 2);
        ana.say("hola desde A");
        assertThat(ben.await("chat_message", f -> true).get("text").asText())
            .isEqualTo("hola desde A");
        ben.say("hola desde B");
        assertThat(ana.await("chat_message", f -> f.get("username").asText().equals("ben"))
            .get("text").asText()).isEqualTo("hola desde B");

        // A goes away: B keeps serving, and stops counting A's client
        a.close();
        assertThat(status(baseB + "/api/health")).isEqualTo(200);
        assertThat(status(baseB + "/streams/canal1/playlist.m3u8")).isEqualTo(200);
        ben.await("user_count", f -> f.get("online").asLong() == 1);

        // Redis restarted: the chat on B works again, history intact
        redis.stop();
        ben.say("sin redis");
        JsonNode unavailable = ben.await("error",
            f -> f.get("code").asText().equals("chat_unavailable"));
        String where = java.net.URI.create(redis.uri()).getAuthority();
        assertThat(unavailable.toString()).as("no Redis address for chat clients")
            .doesNotContain(where).doesNotContain("Redis");
        redis.restart();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode echoed = null;
        while (echoed == null && System.nanoTime() < deadline) {
          ben.say("de vuelta");
          echoed = ben.poll("chat_message", f -> f.get("text").asText().equals("de vuelta"),
              Duration.ofSeconds(1));
        }
        assertThat(echoed).as("chat on B after Redis came back; output:\n" + b.output())
            .isNotNull();
        ChatClient cai = new ChatClient(baseB, "canal1").join("cai");
        JsonNode history = cai.await("history", f -> true);
        assertThat(history.get("messages").toString()).contains("hola desde A")
            .contains("hola desde B").contains("de vuelta");
      }
    }
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private int status(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** {@link Tools#awaitJson}, with the instance's output in the failure. */
  private JsonNode awaitJson(String url, Predicate<JsonNode> until, Duration timeout,
      DemoProcess demo) throws Exception {
    try {
      return Tools.awaitJson(http, url, until, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; output:\n" + demo.output(), e);
    }
  }

  /** A chat client over the JDK's WebSocket, queueing the frames it receives. */
  private final class ChatClient implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;

    ChatClient(String base, String channel) {
      ws = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http:", "ws:")
          + "/ws/chat?channel=" + channel), this).join();
    }

    ChatClient join(String name) {
      ws.sendText("{\"type\":\"join\",\"username\":\"" + name + "\"}", true).join();
      return this;
    }

    void say(String text) {
      ws.sendText("{\"type\":\"chat_message\",\"text\":\"" + text + "\"}", true).join();
    }

    JsonNode await(String type, Predicate<JsonNode> wanted) throws InterruptedException {
      JsonNode f = poll(type, wanted, Duration.ofSeconds(30));
      assertThat(f).as("a " + type + " frame").isNotNull();
      return f;
    }

    JsonNode poll(String type, Predicate<JsonNode> wanted, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (f == null) {
          return null;
        }
        if (f.path("type").asText().equals(type) && wanted.test(f)) {
          return f;
        }
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(JSON.readTree(partial.toString()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
