package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.transcode.internal.SampleVideo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a new user runs it: the packaged {@code hlskit-demo.jar}, in a
 * process of its own, on an empty folder. Catches what only the assembled jar can get wrong (a
 * dependency missing from the shaded jar, natives that do not load).
 */
class PackagedJarIT {
  @TempDir
  Path dir;

  @Test
  void aFirstServeMakesSampleChannelsAndServesThem() throws Exception {
    try (DemoProcess demo = DemoProcess.start(dir, Map.of(), "serve", "--port", "0",
        "--host", "127.0.0.1")) {
      String url = demo.baseUrl();

      HttpClient http = HttpClient.newHttpClient();
      JsonNode channels = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(url + "/api/channels")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /api/channels; output:\n" + demo.output())
            .isEqualTo(200);
        channels = new ObjectMapper().readTree(r.body());
        if (channels.size() == 3) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(channels).as("sample channels; output:\n" + demo.output()).hasSize(3);
      String playlist = channels.get(0).get("playlist").asText();
      HttpResponse<String> m3u8 = http.send(HttpRequest.newBuilder(URI.create(url + playlist))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(m3u8.statusCode()).isEqualTo(200);
      assertThat(m3u8.body()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
      // the page from inside the jar: revalidated itself, its assets and hls.js under
      // versioned URLs that are cached for good
      HttpResponse<String> page = get(http, url + "/");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
      Matcher app = Pattern.compile("/assets/([0-9a-f]{12})/app\\.js").matcher(page.body());
      assertThat(app.find()).as("a fingerprinted app.js in\n" + page.body()).isTrue();
      Matcher hlsJs = Pattern.compile("/webjars/hls\\.js/[0-9.]+/dist/hls\\.min\\.js")
          .matcher(page.body());
      assertThat(hlsJs.find()).as("a versioned hls.js in\n" + page.body()).isTrue();
      for (String asset : new String[] {app.group(), "/assets/" + app.group(1) + "/chat.js",
          hlsJs.group()}) {
        HttpResponse<String> r = get(http, url + asset);
        assertThat(r.statusCode()).as(asset).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).as(asset)
            .contains("public, max-age=31536000, immutable");
      }
      try (var folders = Files.list(dir.resolve("streams"))) {
        assertThat(folders.count()).isGreaterThanOrEqualTo(3);
      }
    }
  }

  @Test
  void devModeServesThePageFromItsSourceSoAnEditShowsOnReload() throws Exception {
    Path web = dir.resolve("web");
    Files.createDirectories(web);
    try (var sources = Files.list(Path.of("src/main/resources/io/hlskit/demo/web"))) {
      for (Path f : (Iterable<Path>) sources::iterator) {
        Files.copy(f, web.resolve(f.getFileName()));
      }
    }
    try (DemoProcess demo = DemoProcess.start(dir, Map.of("HLS_DEV", "true"), "serve",
        "--port", "0", "--host", "127.0.0.1", "--no-samples", "--web-dir", web.toString())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = get(http, demo.baseUrl() + "/");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(page.body()).contains("/assets/dev/app.js");
      String css = demo.baseUrl() + "/assets/dev/style.css";
      assertThat(get(http, css).headers().firstValue("Cache-Control")).contains("no-store");

      Files.writeString(web.resolve("style.css"), "body { background: hotpink; }\n");
      assertThat(get(http, css).body()).isEqualTo("body { background: hotpink; }\n");
      Files.writeString(web.resolve("index.html"),
          page.body().replace("<main", "<!-- v2 --><main"));
      assertThat(get(http, demo.baseUrl() + "/").body()).contains("<!-- v2 -->");
    }
  }

  @Test
  void devModeAwayFromTheSourceSaysWhereToRunIt() throws Exception {
    try (DemoProcess demo = DemoProcess.start(dir, Map.of(), "serve", "--dev", "--port", "0")) {
      assertThat(demo.waitFor(60)).isNotZero();
      assertThat(demo.output()).contains("run from the repository root or give --web-dir");
    }
  }

  @Test
  void convertKeepsAnExistingChannelUnlessToldToReplaceIt() throws Exception {
    Path video = dir.resolve("v.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(320, 180, 1));
    try (DemoProcess first = DemoProcess.start(dir, Map.of(), "convert", video.toString(),
        "canal1", "low")) {
      assertThat(first.waitFor(120)).as(first.output()).isZero();
    }
    try (DemoProcess again = DemoProcess.start(dir, Map.of(), "convert", video.toString(),
        "canal1", "low")) {
      assertThat(again.waitFor(120)).as(again.output()).isNotZero();
      assertThat(again.output()).contains("channel canal1 exists already", "--replace");
    }
    try (DemoProcess replaced = DemoProcess.start(dir, Map.of(), "convert", video.toString(),
        "canal1", "low", "--replace", "--title", "Replaced")) {
      assertThat(replaced.waitFor(120)).as(replaced.output()).isZero();
    }
    assertThat(Files.readString(dir.resolve("streams/canal1/channel.json")))
        .contains("\"title\":\"Replaced\"");
  }

  @Test
  void convertMakesALadderOfYourOwnAndSaysWhatIsWrongWithABadOne() throws Exception {
    Path video = dir.resolve("v.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(320, 180, 1));
    try (DemoProcess bad = DemoProcess.start(dir, Map.of(), "convert", video.toString(),
        "ladder", "--ladder", "180p:300k,180p:200k")) {
      assertThat(bad.waitFor(120)).as(bad.output()).isNotZero();
      assertThat(bad.output()).contains("ladder '180p:300k,180p:200k': two renditions are"
          + " named 180p").doesNotContain("Exception");
    }
    assertThat(dir.resolve("streams/ladder")).doesNotExist();
    try (DemoProcess own = DemoProcess.start(dir, Map.of("HLS_LADDER", "1080p:4500k,180p:200k,144p:100k"),
        "convert", video.toString(), "ladder")) {
      assertThat(own.waitFor(120)).as(own.output()).isZero();
      assertThat(own.output()).contains("(180p + 144p,",
          "rendition 1080p left out: the source is 320x180");
    }
    assertThat(Files.readString(dir.resolve("streams/ladder/playlist.m3u8")))
        .contains("RESOLUTION=256x144", "RESOLUTION=320x180");
  }

  @Test
  void aStoreThatCannotBeReachedIsNamedInTheDemosOwnOptionsWithoutAStackTrace()
      throws Exception {
    try (DemoProcess demo = DemoProcess.start(dir, Map.of("AWS_ACCESS_KEY_ID", "x",
        "AWS_SECRET_ACCESS_KEY", "y"), "serve", "--port", "0", "--storage", "s3",
        "--s3-bucket", "hls", "--s3-endpoint", "http://127.0.0.1:9", "--s3-region",
        "us-east-1")) {
      assertThat(demo.waitFor(120)).as(demo.output()).isNotZero();
      assertThat(demo.output()).contains("cannot reach the S3 endpoint http://127.0.0.1:9")
          .contains("--s3-endpoint or HLS_S3_ENDPOINT").doesNotContain("\tat io.hlskit");
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
