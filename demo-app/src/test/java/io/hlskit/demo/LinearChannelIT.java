package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * A linear channel made with the {@code linear} command from two transcoded videos of 4 s, on
 * the demo: Debian's ffmpeg reads 30 s of it live, across several item changes, without an
 * error; Chromium's feed plays it across item changes without stalling.
 */
class LinearChannelIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void convertScheduleAndServe() {
    Path streams = dir.resolve("streams");
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    Transcoder transcoder = Transcoder.create();
    int tone = 330;
    for (String id : List.of("uno", "dos")) {
      Path input = dir.resolve(id + ".mp4");
      SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 4).withTone(tone += 110));
      transcoder.transcode(TranscodeRequest.builder(input, id).title("Video " + id)
          .profile(Profile.LOW).segmentDuration(Duration.ofSeconds(1)).build(), store,
          ProgressListener.none());
    }
    String out = cli(0, "linear", "news", "--title", "Noticias", "--item", "uno,dos",
        "--streams", streams.toString(), "--start", Instant.now().minusSeconds(3).toString());
    assertThat(out).startsWith("linear channel news: uno, dos from ").contains("in a loop");
    demo = DemoServer.start(new StorageOptions.Storage(store, streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, "linear-it-token", 50_000_000,
            dir.resolve("uploads"), dir.resolve("work"), List.of(), List.of(), null));
    base = "http://127.0.0.1:" + demo.server.port();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  /** Runs the demo's command line as a user would, expecting {@code exit}; returns its output. */
  static String cli(int exit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    assertThat(cli.execute(args)).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(exit);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theCommandRefusesWhatCannotPlayAndSaysWhich() {
    String streams = dir.resolve("streams").toString();
    assertThat(cli(1, "linear", "otro", "--item", "uno", "--item", "nada", "--streams",
        streams)).contains("items[1].channel: 'nada' is not a stored channel");
    assertThat(cli(1, "linear", "otro", "--streams", streams)).contains("--item");
    assertThat(cli(1, "linear", "otro", "--item", "uno", "--start", "mañana", "--streams",
        streams)).contains("--start 'mañana' is not an ISO 8601 instant");
    assertThat(cli(1, "linear", "news", "--item", "uno", "--streams", streams))
        .contains("add --replace");
  }

  @Test
  void ffmpegReadsThirtySecondsAcrossItemChanges() throws Exception {
    Tools.requireFfprobe();
    JsonNode channel = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/channels/news")).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(channel.path("live").asBoolean()).isTrue();
    assertThat(channel.path("nowPlaying").path("channel").asText()).isIn("uno", "dos");

    Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostats", "-v", "error",
        "-progress", "pipe:1", "-i", base + "/streams/news/playlist.m3u8", "-t", "30",
        "-f", "null", "-").start();
    String progress = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(errors).isZero();
    assertThat(errors).as("ffmpeg's errors").isEmpty();
    Matcher m = Pattern.compile("out_time_us=(\\d+)").matcher(progress);
    long last = 0;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    assertThat(last / 1e6).as("seconds read").isGreaterThan(29.0);
  }

  @Test
  void theFeedPlaysItLiveAcrossItemChanges() throws Exception {
    WebDriver browser = Tools.browser(dir.resolve("profile-linear"));
    try {
      browser.get(base + "/#news");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String video = "document.querySelector('section[data-id=news] video')";
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, "section[data-id=news] video") > 0.5);
      // joined at the live edge: a few segments of 1 s behind the newest, not at the window's start
      double behind = ((Number) js.executeScript("const v = " + video + "; return"
          + " v.seekable.end(v.seekable.length - 1) - v.currentTime;")).doubleValue();
      assertThat(behind).as("seconds behind the live edge").isLessThan(4.5);
      // marked live, with what plays now and next; no bar to seek in a live stream
      String section = "section[data-id=news]";
      assertThat((String) js.executeScript("return document.querySelector('" + section
          + " .live-badge').textContent")).isEqualTo("LIVE");
      assertThat((Boolean) js.executeScript("return !!document.querySelector('" + section
          + " input.progress')")).isFalse();
      String meta = "return document.querySelector('" + section + " .meta').textContent";
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .withMessage(() -> "now and next, shown as: " + js.executeScript(meta))
          .until(d -> ((String) js.executeScript(meta))
              .matches("Now: Video (uno|dos) · Next: Video (uno|dos) at \\d?\\d:\\d\\d.*"));
      String firstLine = (String) js.executeScript(meta);
      // 12 s of wall time hold three item changes at 4 s per item
      List<Double> times = new ArrayList<>();
      long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      double longestStall = 0;
      long lastMove = System.nanoTime();
      double previous = -1;
      while (System.nanoTime() < end) {
        double t = ((Number) js.executeScript("return " + video + ".currentTime")).doubleValue();
        if (t > previous) {
          lastMove = System.nanoTime();
        }
        longestStall = Math.max(longestStall, (System.nanoTime() - lastMove) / 1e9);
        previous = Math.max(previous, t);
        times.add(t);
        Thread.sleep(250);
      }
      assertThat(longestStall).as("longest stall in s; currentTime " + times).isLessThan(2.0);
      assertThat(times.get(times.size() - 1) - times.get(0)).as("seconds played " + times)
          .isGreaterThan(10.0);
      Object error = js.executeScript("const v = " + video + "; return v.error && v.error.code");
      assertThat(error).as("the video element's error").isNull();
      // the feed's list refresh (every 5 s) moves now and next on as items change
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> !firstLine.equals(js.executeScript(meta)));
      assertThat(Tools.seriousAccessibilityViolations(browser)).as("a linear channel's screen")
          .isEmpty();
    } finally {
      browser.quit();
    }
  }
}
