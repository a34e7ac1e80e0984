package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.Variant;
import io.hlskit.transcode.testing.LivePublishers;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A Low-Latency HLS live channel (a 360p + 180p ladder, 1/3 s parts) published over RTMP by
 * Debian's ffmpeg, read by everything that reads HLS: our strict parser and a third-party one
 * ({@code io.lindstrom:m3u8-parser}, strict) read every playlist the server answers, plain,
 * blocking and as delta updates; Debian's ffmpeg and GStreamer's {@code hlsdemux2} read the
 * stream; the feed's hls.js in Chromium plays it in low-latency mode for a minute without
 * stalling, and says how far behind live it is.
 */
class LowLatencyIT {
  private static final String TOKEN = "low-latency-it";

  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  static String streamKey;
  static String cmafKey;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void createAndServe() {
    LivePublishers.requireFfmpeg();
    Tools.requireFfprobe();
    Path streams = dir.resolve("streams");
    String out = LinearChannelIT.cli(0, "live", "ll", "--title", "Directo",
        "--profile", "360p:600k,180p:200k", "--streams", streams.toString());
    streamKey = out.strip().substring(out.strip().lastIndexOf('\n') + 1).strip();
    String cmaf = LinearChannelIT.cli(0, "live", "llcmaf", "--title", "Directo CMAF",
        "--profile", "360p:600k", "--format", "fmp4", "--streams", streams.toString());
    assertThat(cmaf).contains("fMP4 segments");
    cmafKey = cmaf.strip().substring(cmaf.strip().lastIndexOf('\n') + 1).strip();
    assertThat(LinearChannelIT.cli(1, "live", "bad", "--format", "webm", "--streams",
        streams.toString())).contains("--format must be ts (MPEG-TS) or fmp4");
    demo = LiveChannelIT.startLive(dir, streams, TOKEN, Duration.ofSeconds(6));
    base = "http://127.0.0.1:" + demo.server.port();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyReaderReadsItAndTheFeedPlaysAMinuteWithoutStalling() throws Exception {
    Process publisher = LivePublishers.rtmp("rtmp://127.0.0.1:" + demo.live.rtmpPort()
        + "/live/" + streamKey, "640x360", 150, dir.resolve("publisher.log"));
    WebDriver browser = null;
    try {
      Tools.awaitJson(http, base + "/api/channels/ll",
          c -> c.path("state").asText().equals("live"), Duration.ofSeconds(30));
      awaitWindow("/streams/ll/180p/index.m3u8", 16);

      everyPlaylistReadsStrictly("ll", 2);

      // Debian's ffmpeg: the stream over HTTP, four seconds of it copied into a file
      Path copied = dir.resolve("ffmpeg.ts");
      Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel",
          "error", "-i", base + "/streams/ll/playlist.m3u8", "-map", "0", "-t", "4", "-c",
          "copy", "-y", copied.toString()).redirectErrorStream(true).start();
      String ffmpegLog = new String(ffmpeg.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ffmpeg.exitValue()).as(ffmpegLog).isZero();
      double seconds = Double.parseDouble(Tools.ffprobe("-show_entries", "format=duration",
          "-of", "csv=p=0", copied.toString()).strip());
      assertThat(seconds).as("seconds ffmpeg read").isBetween(3.0, 5.0);

      // GStreamer's hlsdemux2: pictures decoded from the live playlists
      assertThat(gstreamerFrames("ll")).as("pictures GStreamer's hlsdemux2 decoded")
          .isGreaterThanOrEqualTo(60);

      // the feed: hls.js in low-latency mode, a minute without a stall over half a second
      browser = Tools.browser(dir.resolve("profile"));
      browser.get(base + "/#ll");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript("performance.setResourceTimingBufferSize(100000)");
      String selector = "section[data-id=ll] video";
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, selector) > 0.5);
      Thread.sleep(3000); // joined, and caught up
      List<Double> times = new ArrayList<>();
      List<String> behind = new ArrayList<>();
      List<String> states = new ArrayList<>(); // what the video and the page said, each second
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        times.add(Tools.playingAt(browser, selector));
        if (times.size() % 10 == 0) {
          behind.add((String) js.executeScript("const b = document.querySelector("
              + "'section[data-id=ll] .behind-live'); return b.hidden ? '' : b.textContent"));
          states.add((String) js.executeScript("const v = document.querySelector('" + selector
              + "'); const b = v.buffered; return 't=' + v.currentTime.toFixed(2) + ' paused='"
              + " + v.paused + ' ready=' + v.readyState + ' buffered=' + (b.length ? b.end("
              + "b.length - 1).toFixed(2) : '-') + ' error=' + (v.error && v.error.code)"
              + " + ' status=' + document.getElementById('status').textContent"
              // the player's last three finished requests: what it was waiting for
              + " + ' last=' + performance.getEntriesByType('resource').slice(-3).map(e =>"
              + " e.name.replace(/^.*\\/streams\\//, '').replace(/[?&]session=[^&]*/, '')"
              + " + '@' + Math.round(e.responseEnd)).join(',') + ' now=' +"
              + " Math.round(performance.now())")
              + " server=" + serverEdge("/streams/ll/360p/index.m3u8"));
        }
        Thread.sleep(100);
      }
      // the channel as the API says (its live stats name any rendition shed to keep up)
      String channel = get("/api/channels/ll").body();
      assertThat(times.get(times.size() - 1) - times.get(0)).as("seconds played in a minute; "
          + states + "; " + channel).isGreaterThan(55.0);
      assertThat(Tools.longestStall(times, 0.1)).as("the longest stall, in s; " + states + "; "
          + channel).isLessThan(0.5);
      assertThat(js.executeScript("return document.querySelector('" + selector + "').error"))
          .isNull();
      assertThat(behind).as("what the page says of the delay").isNotEmpty()
          .allMatch(s -> s.matches("\\d+\\.\\d s behind live"));
      assertThat(behind.stream().mapToDouble(s -> Double.parseDouble(s.split(" ")[0])).max()
          .orElseThrow()).as("seconds behind live, as the page says").isLessThan(4.0);
    } finally {
      if (browser != null) {
        browser.quit();
      }
      publisher.destroy();
      publisher.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The last part the server lists in {@code path}, for the diagnostics of a stall. */
  private String serverEdge(String path) {
    try {
      String body = get(path).body();
      String[] lines = body.strip().split("\n");
      return lines[lines.length - 1];
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void fragmentedMp4PartsPlayInTheFeedAndEveryReaderReadsThem() throws Exception {
    Process publisher = LivePublishers.rtmp("rtmp://127.0.0.1:" + demo.live.rtmpPort()
        + "/live/" + cmafKey, "640x360", 60, dir.resolve("cmaf-publisher.log"));
    WebDriver browser = null;
    try {
      awaitWindow("/streams/llcmaf/360p/index.m3u8", 14);
      String playlist = get("/streams/llcmaf/360p/index.m3u8").body();
      assertThat(playlist).contains("#EXT-X-MAP:URI=\"init_").contains(".m4s\"");
      everyPlaylistReadsStrictly("llcmaf", 1);
      MediaPlaylist p = PlaylistParser.strict().parseMedia(playlist);
      HttpResponse<byte[]> init = http.send(HttpRequest.newBuilder(URI.create(base
          + "/streams/llcmaf/360p/" + p.segments().get(0).map().orElseThrow().uri())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(init.statusCode()).isEqualTo(200);
      assertThat(init.headers().firstValue("Content-Type")).hasValue("video/mp4");

      // Debian's ffmpeg reads the fMP4 stream over HTTP
      Path copied = dir.resolve("cmaf.mp4");
      Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel",
          "error", "-i", base + "/streams/llcmaf/playlist.m3u8", "-map", "0", "-t", "3", "-c",
          "copy", "-y", copied.toString()).redirectErrorStream(true).start();
      String log = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ffmpeg.exitValue()).as(log).isZero();
      assertThat(Tools.ffprobe("-show_entries", "stream=codec_name,width,height", "-of",
          "csv=p=0", copied.toString())).contains("h264,640,360").contains("aac");
      assertThat(gstreamerFrames("llcmaf")).as("pictures GStreamer's hlsdemux2 decoded")
          .isGreaterThanOrEqualTo(60);

      // the feed's hls.js plays it in low-latency mode
      browser = Tools.browser(dir.resolve("profile-cmaf"));
      browser.get(base + "/#llcmaf");
      String selector = "section[data-id=llcmaf] video";
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, selector) > 0.5);
      List<Double> times = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
      while (System.nanoTime() < end) {
        times.add(Tools.playingAt(browser, selector));
        Thread.sleep(100);
      }
      assertThat(times.get(times.size() - 1) - times.get(0)).as("seconds played in 12")
          .isGreaterThan(10.0);
      assertThat(Tools.longestStall(times, 0.1)).as("the longest stall, in s").isLessThan(0.5);
      assertThat(((JavascriptExecutor) browser).executeScript("return document.querySelector('"
          + selector + "').error")).isNull();
    } finally {
      if (browser != null) {
        browser.quit();
      }
      publisher.destroy();
      publisher.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits for the playlist at {@code path} to span {@code seconds}: longer than CAN-SKIP-UNTIL
   * (six target durations, 12 s), so that delta updates skip segments.
   */
  private void awaitWindow(String path, double seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (windowSeconds(path) < seconds) {
      assertThat(System.nanoTime()).as(seconds + " s in the window of " + path)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private double windowSeconds(String path) throws Exception {
    HttpResponse<String> r = get(path);
    return r.statusCode() != 200 ? 0
        : PlaylistParser.strict().parseMedia(r.body()).totalDuration().toMillis() / 1000.0;
  }

  /**
   * The multivariant playlist and every rendition's playlist, plain, blocking for the next part
   * and as both kinds of delta update: each answered 200 and read by both parsers, strictly.
   */
  private void everyPlaylistReadsStrictly(String channel, int renditions) throws Exception {
    PlaylistParser ours = PlaylistParser.strict();
    MediaPlaylistParser theirs = new MediaPlaylistParser(ParsingMode.STRICT);
    String multivariant = get("/streams/" + channel + "/playlist.m3u8").body();
    MultivariantPlaylist variants = ours.parseMultivariant(multivariant);
    new MasterPlaylistParser(ParsingMode.STRICT).readPlaylist(multivariant);
    assertThat(variants.variants()).hasSize(renditions);
    for (Variant v : variants.variants()) {
      String path = "/streams/" + channel + "/" + v.uri();
      MediaPlaylist plain = ours.parseMedia(get(path).body());
      assertThat(plain.partTarget()).isPresent();
      assertThat(plain.renditionReports()).as("a report of every other rendition")
          .hasSize(renditions - 1);
      long msn = plain.mediaSequence() + plain.segments().size();
      long part = plain.openSegment().map(o -> o.parts().size()).orElse(0);
      String next = path + "?_HLS_msn=" + msn + "&_HLS_part=" + part;
      for (String query : List.of("", "&_HLS_skip=YES", "&_HLS_skip=v2")) {
        HttpResponse<String> r = get(next + query);
        assertThat(r.statusCode()).as(next + query + ": " + r.body()).isEqualTo(200);
        MediaPlaylist read = ours.parseMedia(r.body());
        var their = theirs.readPlaylist(r.body());
        assertThat(their.partialSegmentInformation()).isPresent();
        // the window is past CAN-SKIP-UNTIL: a delta update leaves its oldest segments out
        assertThat(read.skip().map(s -> s.skippedSegments()).orElse(0L)).as(next + query)
            .matches(skipped -> query.isEmpty() ? skipped == 0 : skipped > 0);
        assertThat(their.mediaSequence()).isEqualTo(read.mediaSequence());
      }
    }
  }

  /**
   * Pictures that GStreamer decodes in eight seconds from the live multivariant playlist, read by
   * {@code hlsdemux2} ({@code uridecodebin3} chooses it by rank, and it works only inside such a
   * bin; the pipeline's messages name it, so that no other demuxer stands in for it).
   */
  private int gstreamerFrames(String channel) throws Exception {
    LivePublishers.requireGstreamer();
    Process gst = new ProcessBuilder("timeout", "-s", "INT", "8", "gst-launch-1.0", "-v",
        "uridecodebin3", "uri=" + base + "/streams/" + channel + "/playlist.m3u8", "!",
        "videoconvert", "!",
        "fakesink", "silent=false").redirectErrorStream(true).start();
    String out = new String(gst.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    gst.waitFor(30, TimeUnit.SECONDS);
    assertThat(out).as("the demuxer GStreamer chose").contains("GstHLSDemux2");
    int frames = 0;
    for (String line : out.split("\n")) {
      if (line.contains("fakesink") && line.contains("chain")) {
        frames++;
      }
    }
    if (frames == 0) {
      Files.writeString(dir.resolve("gstreamer.log"), out);
      throw new AssertionError("GStreamer decoded nothing:\n" + out.substring(
          Math.max(0, out.length() - 3000)));
    }
    return frames;
  }
}
