package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A live channel made with the {@code live} command, on the demo with {@code --rtmp-port}:
 * Debian's ffmpeg publishes in real time; ffprobe reads the live playlist over HTTP while its
 * media sequence grows; Chromium's feed plays it at the live edge, and keeps playing when the
 * publisher is killed and comes back within the grace, across the discontinuity; the broadcast
 * ends with the grace.
 */
class LiveChannelIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration GRACE = Duration.ofSeconds(6);
  private static final String TOKEN = "live-it-token";

  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  static String streamKey;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void createAndServe() {
    LivePublishers.requireFfmpeg();
    Tools.requireFfprobe();
    Path streams = dir.resolve("streams");
    String out = LinearChannelIT.cli(0, "live", "news", "--title", "Noticias en directo",
        "--profile", "360p:600k,180p:200k", "--dvr", "10s", "--streams", streams.toString());
    String[] lines = out.strip().split("\n");
    streamKey = lines[lines.length - 1].strip();
    assertThat(streamKey).as(out).matches("news\\?key=[0-9a-f]{32}");
    assertThat(LinearChannelIT.cli(1, "live", "news", "--dvr", "ages", "--streams",
        streams.toString())).contains("--dvr must be a duration such as 30s");
    demo = startLive(dir, streams, TOKEN, GRACE);
    base = "http://127.0.0.1:" + demo.server.port();
  }

  /**
   * The demo on loopback with live ingest (RTMP on a free port, {@code grace} to come back) on
   * a folder store at {@code streams}, admin token {@code token}.
   */
  static DemoServer startLive(Path dir, Path streams, String token, Duration grace) {
    return DemoServer.start(new StorageOptions.Storage(FileSystemMediaStore.at(streams),
            streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, token, 50_000_000, dir.resolve("uploads"),
            dir.resolve("work"), List.of(), List.of(), null)
            .withLive(new DemoServer.Options.Live(0, grace)));
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private String rtmp() {
    return "rtmp://127.0.0.1:" + demo.live.rtmpPort() + "/live/" + streamKey;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, boolean withToken)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiCreatesLiveChannelsAndHandsOutKeys() throws Exception {
    assertThat(post("/api/live", "{\"id\":\"sports\"}", false).statusCode()).isEqualTo(401);
    HttpResponse<String> bad = post("/api/live", "{\"id\":\"sports\",\"profile\":\"huge\"}",
        true);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("profile: unknown profile 'huge'");
    assertThat(post("/api/live", "{\"id\":\"sports\",\"dvr\":\"forever\"}", true).body())
        .contains("dvr must be a duration");
    HttpResponse<String> created = post("/api/live", "{\"id\":\"sports\",\"title\":"
        + "\"Deportes\",\"profile\":\"source\",\"dvr\":\"2m\",\"record\":\"vod\"}", true);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode c = JSON.readTree(created.body());
    assertThat(c.path("rtmp").asText()).isEqualTo("rtmp://127.0.0.1:" + demo.live.rtmpPort()
        + "/live");
    String key = c.path("streamKey").asText();
    assertThat(key).matches("sports\\?key=[0-9a-f]{32}");
    assertThat(c.path("state").asText()).isEqualTo("waiting");
    assertThat(c.path("liveSettings").path("dvrSeconds").asInt()).isEqualTo(120);
    assertThat(c.path("liveSettings").path("record").asText()).isEqualTo("vod");
    JsonNode again = liveState("sports");
    assertThat(again.path("streamKey").asText()).isEqualTo(key);
    assertThat(again.path("ingest").isNull()).isTrue();
    String renewed = JSON.readTree(post("/api/live/sports/key", "", true).body())
        .path("streamKey").asText();
    assertThat(renewed).startsWith("sports?key=").isNotEqualTo(key);
    assertThat(post("/api/live", "{\"id\":\"sports\",\"srtPort\":70000}", true).body())
        .contains("srtPort must be a UDP port");
    HttpResponse<String> updated = post("/api/live", "{\"id\":\"sports\",\"title\":"
        + "\"Deportes 2\",\"srtPort\":9710}", true);
    assertThat(updated.statusCode()).isEqualTo(200);
    // SRT callers give the key's secret as passphrase; the settings given before are kept
    JsonNode u = JSON.readTree(updated.body());
    assertThat(u.path("srt").asText()).isEqualTo("srt://127.0.0.1:9710?passphrase="
        + renewed.substring("sports?key=".length()));
    assertThat(u.path("liveSettings").path("srtPort").asInt()).isEqualTo(9710);
    assertThat(u.path("liveSettings").path("dvrSeconds").asInt()).isEqualTo(120);
    assertThat(JSON.readTree(get("/api/channels/sports").body()).path("title").asText())
        .isEqualTo("Deportes 2");
  }

  private JsonNode liveState(String id) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/live/" + id))
        .header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private MediaPlaylist media() throws Exception {
    HttpResponse<String> r = get("/streams/news/360p/index.m3u8");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return PlaylistParser.strict().parseMedia(r.body());
  }

  @Test
  void publishedPlayedKilledResumedAndEnded() throws Exception {
    JsonNode waiting = JSON.readTree(get("/api/channels/news").body());
    assertThat(waiting.path("live").asBoolean()).isTrue();
    assertThat(waiting.path("state").asText()).isEqualTo("waiting");

    Process first = LivePublishers.rtmp(rtmp(), "640x360", 60, dir.resolve("first.log"));
    JsonNode live = Tools.awaitJson(http, base + "/api/channels/news",
        c -> c.path("state").asText().equals("live"), Duration.ofSeconds(30));
    assertThat(live.path("renditions")).hasSize(2);
    JsonNode ingest = liveState("news");
    for (int i = 0; i < 50 && ingest.path("ingest").path("frameRate").asDouble() == 0; i++) {
      Thread.sleep(200);
      ingest = liveState("news");
    }
    assertThat(ingest.path("ingest").path("publisher").asText()).as(ingest.toString())
        .startsWith("127.0.0.1:");
    assertThat(ingest.path("ingest").path("frameRate").asDouble()).isBetween(5.0, 40.0);
    assertThat(get("/metrics").body()).contains("hlskit_live_publishers 1.0")
        .containsPattern("hlskit_live_ingest_bytes_total [1-9]");
    assertThat(JSON.readTree(get("/api/health").body()).path("live").asText()).isEqualTo("UP");
    HttpResponse<String> head = get("/streams/news/360p/index.m3u8");
    // Low-Latency HLS: the plain playlist moves with every part; players block for the next
    assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(head.body()).contains("#EXT-X-PART-INF:PART-TARGET=0.334", "#EXT-X-PRELOAD-HINT");
    // a blocking reload for the part after the last is held until the pipeline writes it
    MediaPlaylist edge = PlaylistParser.strict().parseMedia(head.body());
    long open = edge.mediaSequence() + edge.segments().size();
    int next = edge.openSegment().map(o -> o.parts().size()).orElse(0);
    String hinted = edge.preloadHints().get(0).uri();
    HttpResponse<String> held = get("/streams/news/360p/index.m3u8?_HLS_msn=" + open
        + "&_HLS_part=" + next);
    assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
    MediaPlaylist after = PlaylistParser.strict().parseMedia(held.body());
    List<String> parts = new java.util.ArrayList<>();
    after.segments().forEach(s -> s.parts().forEach(x -> parts.add(x.uri())));
    after.openSegment().ifPresent(o -> o.parts().forEach(x -> parts.add(x.uri())));
    assertThat(parts).contains(hinted);
    assertThat(get("/streams/news/360p/index.m3u8?_HLS_msn=" + (open + 3)).statusCode())
        .isEqualTo(400);

    // ffprobe reads the live playlists over HTTP while they grow and slide
    String streams = Tools.ffprobe("-show_entries", "stream=codec_name,width,height",
        "-of", "csv=p=0", base + "/streams/news/playlist.m3u8");
    assertThat(streams).contains("h264,640,360").contains("aac");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (media().mediaSequence() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    MediaPlaylist sliding = media();
    assertThat(sliding.mediaSequence()).as("the DVR window slides").isGreaterThanOrEqualTo(2);
    assertThat(sliding.endList()).isFalse();

    WebDriver browser = Tools.browser(dir.resolve("profile-live"));
    Process second = null;
    try {
      browser.get(base + "/#news");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String selector = "section[data-id=news] video";
      String video = "document.querySelector('" + selector + "')";
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, selector) > 0.5);
      assertThat((String) js.executeScript("return document.querySelector('section[data-id=news]"
          + " .live-badge').textContent")).isEqualTo("LIVE");
      double behind = ((Number) js.executeScript("const v = " + video + "; return"
          + " v.seekable.end(v.seekable.length - 1) - v.currentTime;")).doubleValue();
      assertThat(behind).as("seconds behind the live edge").isLessThan(8.0);
      List<Double> before = watch(js, video, Duration.ofSeconds(6));
      assertThat(Tools.longestStall(before, 0.25)).as("stall before the drop, " + before).isLessThan(1.0);

      // the publisher dies and another comes back within the grace: the playlist never fails
      long sequenceBefore = media().mediaSequence() + media().segments().size();
      AtomicBoolean polling = new AtomicBoolean(true);
      List<Integer> statuses = new CopyOnWriteArrayList<>();
      Thread poller = new Thread(() -> {
        while (polling.get()) {
          try {
            statuses.add(get("/streams/news/360p/index.m3u8").statusCode());
            Thread.sleep(200);
          } catch (Exception e) {
            statuses.add(-1);
          }
        }
      });
      poller.start();
      first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Thread.sleep(1500);
      second = LivePublishers.rtmp(rtmp(), "640x360", 60, dir.resolve("second.log"));
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (media().segments().stream().noneMatch(MediaSegment::discontinuity)
          && System.nanoTime() < deadline) {
        Thread.sleep(300);
      }
      MediaPlaylist resumed = media();
      assertThat(resumed.segments()).anyMatch(MediaSegment::discontinuity);
      assertThat(resumed.mediaSequence() + resumed.segments().size())
          .as("the media sequence goes on").isGreaterThan(sequenceBefore);
      List<Double> across = watch(js, video, Duration.ofSeconds(14));
      polling.set(false);
      poller.join();
      assertThat(statuses).as("playlist answers while the publisher came back")
          .isNotEmpty().containsOnly(200);
      assertThat(across.get(across.size() - 1) - across.get(0))
          .as("seconds played across the reconnect " + across).isGreaterThan(8.0);
      assertThat(js.executeScript("const v = " + video + "; return v.error && v.error.code"))
          .as("the video element's error").isNull();
      assertThat((String) js.executeScript("return document.getElementById('status')"
          + ".textContent")).as("the page's status line").doesNotContain("cannot play");
    } finally {
      browser.quit();
      if (second != null) {
        second.destroy();
        second.waitFor(10, TimeUnit.SECONDS);
      }
      first.destroyForcibly();
    }
    // unpublished, and the grace passed: the broadcast ends, its playlists closed
    JsonNode ended = Tools.awaitJson(http, base + "/api/channels/news",
        c -> c.path("state").asText().equals("ended"), GRACE.plusSeconds(20));
    assertThat(ended.path("live").asBoolean()).isTrue();
    assertThat(media().endList()).isTrue();
  }

  @Test
  void theDvrWindowHoldsTwoMinutesAndPlaysAMinuteBack() throws Exception {
    Path streams = dir.resolve("streams");
    String out = LinearChannelIT.cli(0, "live", "dvr", "--profile", "source", "--dvr", "2m",
        "--streams", streams.toString());
    String key = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
    // three minutes sent at once, then real time: the window has slid by the time it plays
    Process ffmpeg = new ProcessBuilder(LivePublishers.nativesFfmpeg(), "-hide_banner",
        "-nostdin", "-loglevel", "warning", "-re", "-readrate_initial_burst", "180",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "260",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "flv", "rtmp://127.0.0.1:" + demo.live.rtmpPort() + "/live/" + key)
        .redirectErrorStream(true).redirectOutput(dir.resolve("dvr.log").toFile()).start();
    WebDriver browser = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      MediaPlaylist window = null;
      long firstSequence = -1;
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = get("/streams/dvr/source/index.m3u8");
        if (r.statusCode() == 200) {
          window = PlaylistParser.strict().parseMedia(r.body());
          if (firstSequence < 0) {
            firstSequence = window.mediaSequence();
          }
          if (window.mediaSequence() - firstSequence > 20) {
            break;
          }
        }
        Thread.sleep(500);
      }
      assertThat(window).as(Files.readString(dir.resolve("dvr.log"))).isNotNull();
      assertThat(window.mediaSequence() - firstSequence).as("segments that left the window")
          .isGreaterThan(20);
      double span = window.totalDuration().toMillis() / 1000.0;
      assertThat(span).as("the window's span in s").isBetween(118.0, 126.0);
      // the window's middle: its first segment may slide out as this looks (the publisher
      // sent three minutes at once, parts are written several times a second)
      assertThat(streams.resolve("dvr/source/"
          + window.segments().get(window.segments().size() / 2).uri())).exists();
      assertThat(Files.list(streams.resolve("dvr/source"))
          .filter(f -> f.getFileName().toString().matches("seg_\\d+\\.ts")).count())
          .as("segments past the window are deleted").isLessThanOrEqualTo(
              window.segments().size() + 1);

      browser = Tools.browser(dir.resolve("profile-dvr"));
      browser.get(base + "/#dvr");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String selector = "section[data-id=dvr] video";
      String video = "document.querySelector('" + selector + "')";
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, selector) > 0.5);
      double seekable = ((Number) js.executeScript("const v = " + video + "; return"
          + " v.seekable.end(v.seekable.length - 1) - v.seekable.start(0);")).doubleValue();
      assertThat(seekable).as("seconds the player may seek in").isGreaterThan(100.0);
      double target = ((Number) js.executeScript("const v = " + video + "; const t ="
          + " v.seekable.end(v.seekable.length - 1) - 60; v.currentTime = t; return t;"))
          .doubleValue();
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .withMessage(() -> "currentTime " + js.executeScript("return " + video + ".currentTime"))
          .until(d -> Tools.playingAt(d, selector) > target + 3);
      assertThat(js.executeScript("return " + video + ".error")).isNull();
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> (Boolean) js.executeScript(
          "return !document.querySelector('section[data-id=dvr] .to-live').hidden"));
      js.executeScript("document.querySelector('section[data-id=dvr] .to-live').click()");
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> ((Number) js.executeScript(
          "const v = " + video + "; return v.seekable.end(v.seekable.length - 1)"
              + " - v.currentTime")).doubleValue() < 15);
    } finally {
      if (browser != null) {
        browser.quit();
      }
      ffmpeg.destroyForcibly();
    }
  }

  @Test
  void theAdminPageCreatesALiveChannelAndShowsItsKey() {
    WebDriver browser = Tools.browser(dir.resolve("profile-admin"));
    try {
      browser.get(base + "/admin.html");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript("document.querySelector('#upload input[name=token]').value = arguments[0];"
          + " const f = document.getElementById('live-form'); f.id.value = 'desk';"
          + " f.title.value = 'Front desk'; f.requestSubmit();", TOKEN);
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> ((String) js.executeScript(
          "return document.getElementById('live-key').textContent")).startsWith("desk?key="));
      assertThat((String) js.executeScript("return document.getElementById('live-rtmp')"
          + ".textContent")).isEqualTo("rtmp://127.0.0.1:" + demo.live.rtmpPort() + "/live");
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "waiting".equals(
          js.executeScript("return document.getElementById('live-state').dataset.state")));
      assertThat(Tools.seriousAccessibilityViolations(browser)).as("the admin page").isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      browser.quit();
    }
  }

  /** currentTime every 250 ms for {@code during}. */
  private static List<Double> watch(JavascriptExecutor js, String video, Duration during)
      throws InterruptedException {
    List<Double> times = new ArrayList<>();
    long end = System.nanoTime() + during.toNanos();
    while (System.nanoTime() < end) {
      times.add(((Number) js.executeScript("return " + video + ".currentTime")).doubleValue());
      Thread.sleep(250);
    }
    return times;
  }
}
