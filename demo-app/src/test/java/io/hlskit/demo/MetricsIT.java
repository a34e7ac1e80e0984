package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.contract.Eventually;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's metrics read by Prometheus's own tools: {@code promtool check metrics} finds no
 * problem in the scrape, and a real Prometheus server scraping every second sees the demo up and
 * its segment requests; with a management port, /metrics and health live there alone.
 */
class MetricsIT {
  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void serve() {
    Path streams = dir.resolve("streams");
    // the store times its operations into the demo's registry, as serve opens it
    DemoMetrics metrics = new DemoMetrics();
    demo = DemoServer.start(new StorageOptions.Storage(FileSystemMediaStore.builder(streams)
        .meterRegistry(metrics.registry).build(), streams.toString()), new InMemoryChatBroker(),
        List.of(), new DemoServer.Options("127.0.0.1", 0, null, 50_000_000,
            dir.resolve("uploads"), dir.resolve("work"), List.of(), List.of(), null), metrics);
    base = "http://127.0.0.1:" + demo.server.port();
    Path input = dir.resolve("in.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 2));
    Transcoder.create().transcode(TranscodeRequest.builder(input, "canal1")
        .profile(Profile.LOW).build(), demo.store, ProgressListener.none());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A player's requests: the playlists and the segment, with its session. */
  private static void play(String session) throws Exception {
    String q = "?session=" + session;
    assertThat(get(base + "/streams/canal1/playlist.m3u8" + q).statusCode()).isEqualTo(200);
    assertThat(get(base + "/streams/canal1/180p/seg_00000.ts" + q).statusCode()).isEqualTo(200);
  }

  /** The value of canal1's viewer gauge in a scrape now; 0 when it has no row. */
  private static double viewersInTheScrape() {
    try {
      return get(base + "/metrics").body().lines()
          .filter(l -> l.startsWith("hlskit_channel_viewers{channel=\"canal1\"}"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst().orElse(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean present(String command) {
    try {
      return new ProcessBuilder(command, "--version").redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void promtoolFindsNoProblemInTheScrape() throws Exception {
    Tools.require("promtool (Debian's prometheus package)", present("promtool"));
    play("p1");
    play("p2");
    Eventually.await(Duration.ofSeconds(10), "two viewers of canal1 (or more: other tests"
        + " play too)", () -> viewersInTheScrape() >= 2);
    HttpResponse<String> scrape = get(base + "/metrics");
    assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(scrape.body()).contains(
        "hlskit_http_requests_seconds_count{kind=\"segment\",status=\"200\"}",
        "hlskit_http_requests_seconds_bucket{kind=\"playlist\",status=\"200\",le=",
        "hlskit_http_sent_bytes_total{kind=\"segment\"}", "hlskit_channels ",
        "hlskit_chat_messages_total{result=\"delivered\"}", "hlskit_undertow_worker_busy",
        "hlskit_ingest_jobs{state=\"queued\"}", "jvm_memory_used_bytes", "process_cpu_usage");
    JsonNode channel = new ObjectMapper().readTree(get(base + "/api/channels/canal1").body());
    assertThat(channel.get("viewers").asInt()).isGreaterThanOrEqualTo(2);

    Process promtool = new ProcessBuilder("promtool", "check", "metrics")
        .redirectErrorStream(true).start();
    promtool.getOutputStream().write(scrape.body().getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(said).isZero();
    assertThat(said).as("promtool's complaints").isBlank();
  }

  /** Every metric the Grafana dashboard queries is in a scrape of the running demo. */
  @Test
  void theDashboardQueriesOnlyMetricsTheDemoHas() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Path.of(System.getProperty("user.dir"))
        .resolve("deploy/grafana/hlskit-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    dashboard.get("panels").forEach(p -> p.get("targets").forEach(
        t -> exprs.add(t.get("expr").asText())));
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    // a player and a chat session, so that the per-channel rows exist
    play("dash");
    WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws")
        + "/ws/chat?channel=canal1"), new WebSocket.Listener() { }).join();
    try {
      ws.sendText("{\"type\":\"join\",\"username\":\"dash\"}", true).join();
      Eventually.await(Duration.ofSeconds(10), "the chat session in the scrape", () -> {
        try {
          return get(base + "/metrics").body().contains("hlskit_chat_sessions{channel=\"canal1\"}");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Set<String> scraped = new HashSet<>();
      get(base + "/metrics").body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> scraped.add(l.split("[{ ]", 2)[0]));
      Matcher m = Pattern.compile("\\b(hlskit|jvm|process)_[a-z_]+").matcher(String.join("\n", exprs));
      Set<String> queried = new HashSet<>();
      while (m.find()) {
        queried.add(m.group());
      }
      assertThat(queried).contains("hlskit_channel_viewers", "hlskit_chat_sessions",
          "hlskit_http_requests_seconds_bucket", "hlskit_transcode_seconds_count",
          "hlskit_storage_seconds_count");
      assertThat(scraped).as("what the demo exposes").containsAll(queried);
    } finally {
      ws.abort();
    }
  }

  @Test
  void aRealPrometheusScrapesTheDemo() throws Exception {
    Tools.require("prometheus (Debian's package)", present("prometheus"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n"
        + "scrape_configs:\n  - job_name: hlskit\n    static_configs:\n"
        + "      - targets: ['127.0.0.1:" + demo.server.port() + "']\n");
    Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
      Eventually.await(Duration.ofSeconds(60), "Prometheus to see the demo up", () ->
          queryValue(api + "up%7Bjob%3D%22hlskit%22%7D").equals("1"));
      play("p3");
      String segments = URLEncoder.encode(
          "hlskit_http_requests_seconds_count{kind=\"segment\",status=\"200\"}",
          StandardCharsets.UTF_8);
      Eventually.await(Duration.ofSeconds(30), "Prometheus to have the segment requests", () ->
          !queryValue(api + segments).isEmpty() && Double.parseDouble(queryValue(api + segments))
              >= 1);
    } finally {
      prometheus.destroy();
      prometheus.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** The value of an instant query's first sample; empty while there is none. */
  private static String queryValue(String url) {
    try {
      JsonNode r = new ObjectMapper().readTree(get(url).body());
      JsonNode result = r.path("data").path("result");
      return result.isEmpty() ? "" : result.get(0).get("value").get(1).asText();
    } catch (Exception e) {
      return ""; // not up yet
    }
  }

  @Test
  void aManagementPortServesMetricsAndHealthAlone() throws Exception {
    Path streams = dir.resolve("streams-management");
    try (DemoServer managed = DemoServer.start(new StorageOptions.Storage(
        FileSystemMediaStore.at(streams), streams.toString()), new DemoServer.Options(
            "127.0.0.1", 0, null, 50_000_000, dir.resolve("uploads2"), dir.resolve("work2"),
            List.of(), List.of(), null).withManagementPort(0))) {
      String main = "http://127.0.0.1:" + managed.server.port();
      String management = "http://127.0.0.1:" + managed.managementPort;
      assertThat(get(main + "/metrics").statusCode()).isEqualTo(404);
      assertThat(get(management + "/metrics").body()).contains("hlskit_channels");
      assertThat(get(management + "/api/health/live").statusCode()).isEqualTo(200);
      assertThat(get(management + "/api/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(management + "/api/health").statusCode()).isEqualTo(200);
      assertThat(get(management + "/api/channels").statusCode()).isEqualTo(404);
      assertThat(get(management + "/").statusCode()).isEqualTo(404);
    }
  }
}
