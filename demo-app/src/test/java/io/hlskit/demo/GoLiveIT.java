package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.server.JwtTokens;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Going live from the page: Chromium with a fake camera (a portrait picture, 360x640) and
 * microphone, signed in as a publisher, starts a broadcast from the feed's "Go live"; a second
 * Chromium plays the channel from its feed and sees the broadcaster's chat; Debian's ffprobe
 * reads the live playlist, portrait. The endpoint refuses senders without a token, with a
 * viewer's token, with chunks that are no media, with a frame over the limit, and the server
 * stays healthy.
 */
class GoLiveIT {
  private static final String SECRET = "a-go-live-secret-of-at-least-thirty-two-bytes";

  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  static Path camera;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void serve() throws Exception {
    Tools.requireBrowser();
    Tools.requireFfprobe();
    Path streams = dir.resolve("streams");
    demo = DemoServer.start(new StorageOptions.Storage(FileSystemMediaStore.at(streams),
            streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, null, 50_000_000, dir.resolve("uploads"),
            dir.resolve("work"), List.of(), List.of(), null,
            JwtAccessPolicy.builder().hs256Secret(SECRET).build())
            .withLive(new DemoServer.Options.Live(0, Duration.ofSeconds(20))));
    base = "http://127.0.0.1:" + demo.server.port();
    // the fake camera: a portrait picture that moves (Chromium loops the file)
    camera = dir.resolve("camera.y4m");
    Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=15", "-t", "4", "-pix_fmt",
        "yuv420p", "-y", camera.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private static String token(String sub, String... roles) {
    JwtTokens t = JwtTokens.hs256(SECRET).subject(sub).name(sub).ttl(Duration.ofMinutes(30));
    for (String r : roles) {
      t.role(r);
    }
    return t.sign();
  }

  @Test
  void aPublisherGoesLiveFromThePageAndAnotherBrowserWatchesAndChats() throws Exception {
    String publisher = token("ana", "publisher");
    WebDriver studio = null;
    WebDriver viewer = null;
    try {
      studio = Tools.browser(dir.resolve("studio"), "--use-fake-device-for-media-stream",
          "--use-fake-ui-for-media-stream", "--use-file-for-fake-video-capture=" + camera);
      studio.get(base + "/#token=" + publisher);
      new WebDriverWait(studio, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.cssSelector("#account .go-live")).isEmpty());
      studio.findElement(By.cssSelector("#account .go-live")).click();
      JavascriptExecutor js = (JavascriptExecutor) studio;
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> ((Number) js.executeScript(
          "return document.querySelector('.go-live-panel .preview').videoWidth")).intValue() > 0);
      studio.findElement(By.cssSelector(".go-live-panel .live-title")).clear();
      studio.findElement(By.cssSelector(".go-live-panel .live-title")).sendKeys("Ana en directo");
      studio.findElement(By.cssSelector(".go-live-panel .start")).click();
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-state")).getText().contains("live"));

      assertThat(Tools.seriousAccessibilityViolations(studio)).as("the page with the Go live"
          + " panel, live").isEmpty();

      // the channel goes live, and Debian's ffprobe reads it: H.264, portrait
      JsonNode channel = Tools.awaitJson(http, base + "/api/channels/live-ana",
          c -> c.path("state").asText().equals("live"), Duration.ofSeconds(40));
      assertThat(channel.path("title").asText()).isEqualTo("Ana en directo");
      String probed = Tools.ffprobe("-show_entries", "stream=codec_name,width,height", "-of",
          "csv=p=0", base + "/streams/live-ana/playlist.m3u8");
      assertThat(probed).contains("h264").contains("aac");
      String[] size = probed.lines().filter(l -> l.startsWith("h264")).findFirst()
          .orElseThrow().split(",");
      assertThat(Integer.parseInt(size[2].strip())).as("portrait: " + probed)
          .isGreaterThan(Integer.parseInt(size[1].strip()));

      // another browser plays it from its feed, and sees the broadcaster's chat
      viewer = Tools.browser(dir.resolve("viewer"));
      viewer.get(base + "/#live-ana");
      String selector = "section[data-id=live-ana] video";
      new WebDriverWait(viewer, Duration.ofSeconds(40))
          .until(d -> Tools.playingAt(d, selector) > 0.5);
      double t0 = Tools.playingAt(viewer, selector);
      Thread.sleep(4000);
      assertThat(Tools.playingAt(viewer, selector)).as("the viewer's video advances")
          .isGreaterThan(t0 + 2.5);
      // the viewer joins the chat under a name of its own; then the broadcaster speaks
      WebDriver v = viewer;
      v.findElement(By.cssSelector("#chat .chat-toggle")).click();
      v.findElement(By.cssSelector("#chat .name input")).sendKeys("leo\n");
      new WebDriverWait(viewer, Duration.ofSeconds(20)).until(d -> v.findElement(
          By.cssSelector("#chat .say")).isDisplayed());
      studio.findElement(By.cssSelector(".go-live-panel .live-chat .chat-toggle")).click();
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-chat .say")).isDisplayed());
      studio.findElement(By.cssSelector(".go-live-panel .live-chat .say input"))
          .sendKeys("hola desde el directo\n");
      new WebDriverWait(viewer, Duration.ofSeconds(20)).until(d -> v.findElement(
          By.cssSelector("#chat .messages")).getText().contains("hola desde el directo"));
      // the studio counts its viewer
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-viewers")).getText().matches("[1-9]\\d* viewers?"));

      // a reload of the studio within the grace continues the same channel
      studio.navigate().refresh();
      new WebDriverWait(studio, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.cssSelector("#account .go-live")).isEmpty());
      studio.findElement(By.cssSelector("#account .go-live")).click();
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> ((Number) ((JavascriptExecutor)
          d).executeScript("return document.querySelector('.go-live-panel .preview')"
          + ".videoWidth")).intValue() > 0);
      studio.findElement(By.cssSelector(".go-live-panel .start")).click();
      new WebDriverWait(studio, Duration.ofSeconds(30)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-state")).getText().contains("You are live"));
      JsonNode after = Tools.awaitJson(http, base + "/api/channels/live-ana",
          c -> c.path("state").asText().equals("live"), Duration.ofSeconds(10));
      assertThat(after.path("id").asText()).isEqualTo("live-ana");
      // the same playlists go on: after a discontinuity, segments of the new session
      String variant = http.send(HttpRequest.newBuilder(URI.create(base
          + "/streams/live-ana/playlist.m3u8")).build(), HttpResponse.BodyHandlers.ofString())
          .body().lines().filter(l -> l.endsWith(".m3u8")).findFirst().orElseThrow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        String playlist = http.send(HttpRequest.newBuilder(URI.create(base
            + "/streams/live-ana/" + variant)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        int discontinuity = playlist.lastIndexOf("#EXT-X-DISCONTINUITY\n");
        if (discontinuity >= 0 && playlist.indexOf("#EXTINF", discontinuity) >= 0) {
          break;
        }
        assertThat(System.nanoTime()).as("the reloaded page's stream in the same playlist: "
            + playlist).isLessThan(deadline);
        Thread.sleep(200);
      }

      // the end button ends the broadcast
      studio.findElement(By.cssSelector(".go-live-panel .end")).click();
      Tools.awaitJson(http, base + "/api/channels/live-ana",
          c -> !c.path("state").asText().equals("live"), Duration.ofSeconds(60));
    } finally {
      if (studio != null) {
        studio.quit();
      }
      if (viewer != null) {
        viewer.quit();
      }
    }
  }

  @Test
  void aServerWithoutLiveIngestSaysSoOnThePage() throws Exception {
    Path streams = dir.resolve("no-live");
    DemoServer plain = DemoServer.start(new StorageOptions.Storage(
            FileSystemMediaStore.at(streams), streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, null, 50_000_000, dir.resolve("uploads-2"),
            dir.resolve("work-2"), List.of(), List.of(), null,
            JwtAccessPolicy.builder().hs256Secret(SECRET).build()));
    WebDriver studio = null;
    try {
      studio = Tools.browser(dir.resolve("studio-no-live"), "--use-fake-device-for-media-stream",
          "--use-fake-ui-for-media-stream");
      studio.get("http://127.0.0.1:" + plain.server.port() + "/#token="
          + token("ana", "publisher"));
      new WebDriverWait(studio, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.cssSelector("#account .go-live")).isEmpty());
      studio.findElement(By.cssSelector("#account .go-live")).click();
      studio.findElement(By.cssSelector(".go-live-panel .start")).click();
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-state")).getText()
          .contains("live ingest may be off"));
      assertThat(studio.findElement(By.cssSelector(".go-live-panel .start")).isEnabled())
          .as("Start can be pressed again").isTrue();
    } finally {
      if (studio != null) {
        studio.quit();
      }
      plain.close();
    }
  }

  /** What a WebSocket sender was told: its text frames and how it was closed. */
  static final class Told implements WebSocket.Listener {
    final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final StringBuilder text = new StringBuilder();
    WebSocket ws;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        frames.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(-1);
    }
  }

  private Told connect(String query, String... first) throws Exception {
    Told told = new Told();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws")
        + "/ws/publish?" + query), told).get(10, TimeUnit.SECONDS);
    for (String f : first) {
      ws.sendText(f, true).get(10, TimeUnit.SECONDS);
    }
    told.ws = ws;
    return told;
  }

  @Test
  void sendersWithoutARightOrWithJunkAreToldAndTheServerStaysHealthy() throws Exception {
    HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(base + "/api/live"))
        .header("Authorization", "Bearer " + token("eva", "publisher"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"eva\",\"profile\":\"240p:300k\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);

    Told none = connect("channel=eva", "{\"hello\":1}");
    assertThat(none.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
    assertThat(none.frames.get(0)).contains("names no token or key");

    Told viewerToken = connect("channel=eva", "{\"token\":\"" + token("leo") + "\"}");
    assertThat(viewerToken.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4403);
    assertThat(viewerToken.frames.get(0)).contains("may not publish");

    Told nowhere = connect("channel=nothing-here", "{\"token\":\"" + token("eva", "publisher")
        + "\"}");
    assertThat(nowhere.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4404);

    // chunks that are no media: the pipeline cannot open them, and the sender is told why
    Told junk = connect("channel=eva&container=webm", "{\"token\":\"" + token("eva",
        "publisher") + "\"}");
    awaitFrame(junk, "\"live\"");
    junk.ws.sendBinary(ByteBuffer.wrap("no video at all ".repeat(20_000).getBytes()), true)
        .get(10, TimeUnit.SECONDS);
    assertThat(junk.closed.get(30, TimeUnit.SECONDS)).isEqualTo(4400);
    assertThat(String.join("\n", junk.frames)).contains("could not be opened as webm");

    // a 100 MB frame closes the connection as too big, and costs the server nothing more
    Told huge = connect("channel=eva&container=webm", "{\"token\":\"" + token("eva",
        "publisher") + "\"}");
    awaitFrame(huge, "\"live\"");
    huge.ws.sendBinary(ByteBuffer.allocate(100 * 1024 * 1024), true);
    assertThat(huge.closed.get(60, TimeUnit.SECONDS)).isIn(1009, -1);

    // a sender that names a token in its first frame and then sends nothing is a publisher
    // that dropped: its publish ends, the channel is free again
    Told silent = connect("channel=eva&container=webm", "{\"token\":\"" + token("eva",
        "publisher") + "\"}");
    awaitFrame(silent, "\"live\"");
    // one live publish per user: the same user into another channel meanwhile is refused
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/live")).header("Authorization", "Bearer " + token("eva", "publisher"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"eva2\",\"profile\":\"240p:300k\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).as(other.body()).isEqualTo(201);
    Told twice = connect("channel=eva2&container=webm", "{\"token\":\"" + token("eva",
        "publisher") + "\"}");
    assertThat(twice.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4409);
    assertThat(twice.frames.get(0)).contains("you are live in channel eva already");
    assertThat(silent.closed.get(40, TimeUnit.SECONDS)).isEqualTo(4400);

    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(health.body()).path("status").asText())
        .isEqualTo("UP");
  }

  private static void awaitFrame(Told told, String contains) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (told.frames.stream().noneMatch(f -> f.contains(contains))) {
      assertThat(told.closed.isDone()).as("closed early; told " + told.frames).isFalse();
      assertThat(System.nanoTime()).as("told " + told.frames).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
