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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged demo killed (SIGKILL) in the middle of transcoding an upload, then started again
 * on the same folder: nothing half-made is ever listed or served, the server is healthy, the
 * same channel can be uploaded again and plays, and what the killed process left on disk is
 * removed by a restart once it is old enough to be sure nobody is still writing it.
 */
class KilledDuringTranscodeIT {
  private static final String TOKEN = "crash-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCrashMidTranscodeLeavesNoHalfChannelAndTheRestartRecovers() throws Exception {
    Path video = dir.resolve("long.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(640, 360, 20));
    String[] serve = {"serve", "--port", "0", "--host", "127.0.0.1", "--no-samples",
        "--admin-token", TOKEN};

    try (DemoProcess first = DemoProcess.start(dir, Map.of(), serve)) {
      String base = first.baseUrl();
      String job = upload(base, video);
      JsonNode j = Tools.awaitJson(http, base + "/api/jobs/" + job,
          s -> s.get("state").asText().equals("running") && s.get("progress").asDouble() > 0.1,
          Duration.ofSeconds(60));
      assertThat(j.get("progress").asDouble()).as("killed mid-way").isLessThan(0.9);
      first.kill();
    }
    Path streams = dir.resolve("streams");
    assertThat(streams.resolve("crashed")).as("never published").doesNotExist();
    // what the killed process left: its spooled upload, its draft, its transcode's working
    // folder; made seven hours old, as after a night, they are the restart's to remove
    for (String leftover : List.of(".hlskit-uploads", ".hlskit-drafts", ".hlskit-work")) {
      try (Stream<Path> files = Files.list(streams.resolve(leftover))) {
        assertThat(files.toList()).as("left in " + leftover).hasSize(1);
      }
      age(streams.resolve(leftover), Duration.ofHours(7));
    }

    try (DemoProcess second = DemoProcess.start(dir, Map.of(), serve)) {
      String base = second.baseUrl();
      assertThat(get(base + "/api/health").get("status").asText()).isEqualTo("UP");
      assertThat(get(base + "/api/channels")).isEmpty();
      HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base
          + "/streams/crashed/playlist.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);

      String job = upload(base, video);
      JsonNode j = Tools.awaitJobEnd(http, base + "/api/jobs/" + job, Duration.ofSeconds(120));
      assertThat(j.get("state").asText()).as(j.toString()).isEqualTo("done");
      JsonNode channels = get(base + "/api/channels");
      assertThat(channels).hasSize(1);
      HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(URI.create(base
          + channels.get(0).get("playlist").asText())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(playlist.statusCode()).isEqualTo(200);
      assertThat(playlist.body()).startsWith("#EXTM3U");
    }
    for (String leftover : List.of(".hlskit-uploads", ".hlskit-drafts", ".hlskit-work")) {
      try (Stream<Path> files = Files.list(streams.resolve(leftover))) {
        assertThat(files.toList()).as("left in " + leftover).isEmpty();
      }
    }
  }

  /** Sets every file and folder under {@code root}'s entries {@code by} into the past. */
  private static void age(Path root, Duration by) throws Exception {
    FileTime then = FileTime.from(Instant.now().minus(by));
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path p : tree.filter(p -> !p.equals(root)).toList()) {
        Files.setLastModifiedTime(p, then);
      }
    }
  }

  private String upload(String base, Path video) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
            + "/api/channels?id=crashed&profile=low"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
