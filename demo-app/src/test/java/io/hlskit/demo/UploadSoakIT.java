package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of issue 8: dozens of uploads through the real server and ingest (good videos,
 * truncated ones that fail in the transcoder, files that are not media, empty bodies), each
 * good channel deleted again, in one JVM. Afterwards every job has ended, nothing is left in the
 * upload folder or the temporary folder, and resident memory and open files have settled.
 */
class UploadSoakIT {
  private static final String TOKEN = "soak-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> jobs = new ArrayList<>();
  private String base;

  @Test
  void dozensOfUploadsGoodAndBadLeaveNothingBehind() throws Exception {
    Path streams = dir.resolve("streams");
    Path uploads = dir.resolve("uploads");
    Path work = dir.resolve("work");
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    try (DemoServer demo = DemoServer.start(new StorageOptions.Storage(store,
        streams.toString()), new DemoServer.Options("127.0.0.1", 0, TOKEN,
        20_000_000, uploads, work, List.of(), List.of(), null))) {
      base = "http://127.0.0.1:" + demo.server.port();
      Path good = dir.resolve("good.mp4");
      SampleVideo.write(good, SampleVideo.Spec.mp4(320, 180, 1));
      byte[] video = Files.readAllBytes(good);
      byte[] truncated = Arrays.copyOf(video, video.length / 2);
      byte[] text = "a text file with a video's name".getBytes();

      int round = 0;
      for (; round < 5; round++) {
        round(round, video, truncated, text); // warm-up: JIT, native libraries, arenas
      }
      System.gc();
      long rssBefore = NativeMemory.residentKb();
      long fdsBefore = NativeMemory.openFiles();
      for (; round < 20; round++) {
        round(round, video, truncated, text);
      }
      System.gc();
      long rssAfter = NativeMemory.residentKb();
      long fdsAfter = NativeMemory.openFiles();
      System.out.printf("soak: %d uploads, %d jobs; RSS %d -> %d KB, fds %d -> %d%n",
          round * 4, jobs.size(), rssBefore, rssAfter, fdsBefore, fdsAfter);

      for (String job : jobs) {
        assertThat(get("/api/jobs/" + job).get("state").asText()).as("job " + job)
            .isIn("done", "failed");
      }
      try (Stream<Path> left = Files.list(uploads)) {
        assertThat(left).as("spooled uploads left").isEmpty();
      }
      try (Stream<Path> left = Files.list(work)) {
        assertThat(left).as("transcodes' working folders left").isEmpty();
      }
      assertThat(store.channels().list()).as("channels left after the deletes").isEmpty();
      assertThat(rssAfter - rssBefore).as("resident memory growth in KB").isLessThan(32 * 1024);
      // the JVM holds the test's own client connections and the server's keep-alive ones too,
      // so a few come and go; a leak per upload would be 60 after these 15 rounds
      assertThat(fdsAfter).as("open files").isLessThanOrEqualTo(fdsBefore + 10);
    }
  }

  private void round(int round, byte[] video, byte[] truncated, byte[] text) throws Exception {
    String good = "soak" + round;
    JsonNode done = await(upload(good, video, 202));
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
    JsonNode failed = await(upload("broken" + round, truncated, 202));
    assertThat(failed.get("state").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).isNotBlank();
    upload("text" + round, text, 415);
    upload("empty" + round, new byte[0], 415);
    HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/channels/" + good)).header("Authorization", "Bearer " + TOKEN).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
  }

  private String upload(String id, byte[] body, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
            + "/api/channels?id=" + id + "&profile=low"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(status);
    if (status != 202) {
      return null;
    }
    String job = JSON.readTree(r.body()).get("id").asText();
    jobs.add(job);
    return job;
  }

  private JsonNode await(String job) throws Exception {
    return Tools.awaitJobEnd(http, base + "/api/jobs/" + job, Duration.ofSeconds(60));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** This JVM's resident memory and open files, from /proc. */
  static final class NativeMemory {
    static long residentKb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static long openFiles() throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        return fds.count();
      }
    }
  }
}
