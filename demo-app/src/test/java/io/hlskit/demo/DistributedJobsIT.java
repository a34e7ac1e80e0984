package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.contract.Eventually;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.hlskit.transcode.internal.SampleVideo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Transcoding across processes: two {@code serve --jobs redis --no-transcode} instances take
 * uploads, two {@code worker} processes transcode them, all on one S3 bucket (S3Proxy in this
 * JVM) and one real redis-server with its append-only file. Jobs read the same from either
 * instance; a worker killed mid-job loses it to the other; a cancel reaches a running job; jobs
 * waiting while Redis restarts are all done; bad uploads are refused or fail without harm.
 */
class DistributedJobsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "jobs-token";
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void uploadsThroughTwoInstancesAreWorkedByTwoWorkers() throws Exception {
    Tools.requireFfprobe();
    Path shortVideo = dir.resolve("short.mp4");
    SampleVideo.write(shortVideo, SampleVideo.Spec.mp4(320, 180, 2));
    Path longVideo = dir.resolve("long.mp4");
    SampleVideo.write(longVideo, SampleVideo.Spec.mp4(640, 360, 20));
    Path truncated = dir.resolve("truncated.mp4");
    byte[] whole = Files.readAllBytes(longVideo);
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 3));

    try (S3TestServer s3 = S3TestServer.create(); RedisTestServer redis = RedisTestServer.start()) {
      String bucket = s3.newBucket();
      Map<String, String> env = new HashMap<>(Map.of("HLS_STORAGE", "s3",
          "HLS_S3_ENDPOINT", s3.endpoint().toString(), "HLS_S3_BUCKET", bucket,
          "HLS_S3_PATH_STYLE", "true", "HLS_S3_REGION", "us-east-1",
          "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey()));
      env.putAll(Map.of("HLS_CHAT", "redis", "HLS_JOBS", "redis", "HLS_REDIS_URL", redis.uri(),
          "HLS_ADMIN_TOKEN", TOKEN, "HLS_SAMPLES", "false", "HLS_JOB_TIMEOUT", "5"));
      String[] web = {"serve", "--port", "0", "--host", "127.0.0.1", "--no-transcode"};
      String[] work = {"worker", "--port", "0", "--host", "127.0.0.1"};
      List<DemoProcess> processes = new ArrayList<>();
      try {
        DemoProcess a = start(processes, env, web);
        DemoProcess b = start(processes, env, web);
        DemoProcess w1 = start(processes, env, work);
        DemoProcess w2 = start(processes, env, work);
        String baseA = a.baseUrl();
        String baseB = b.baseUrl();
        for (DemoProcess w : List.of(w1, w2)) {
          assertThat(getJson(w.baseUrl() + "/api/health/ready").get("jobs").asText())
              .isEqualTo("UP");
        }

        // what is not media is refused at the door, and nothing is queued for it
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "these are not the frames you are looking for\n".repeat(50));
        HttpResponse<String> refused = upload(baseA, "notes", text);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(415);

        // ten uploads through both instances: all done, by both workers, read alike anywhere
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          jobs.add(jobId(upload(i % 2 == 0 ? baseA : baseB, "canal" + i, shortVideo)));
        }
        Set<String> workers = new HashSet<>();
        for (String job : jobs) {
          JsonNode done = Tools.awaitJobEnd(http, baseA + "/api/jobs/" + job,
              Duration.ofSeconds(180));
          assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
          assertThat(getJson(baseB + "/api/jobs/" + job)).isEqualTo(done);
          workers.add(done.get("worker").asText());
        }
        assertThat(workers).as("both workers did some").hasSize(2)
            .allSatisfy(w -> assertThat(w).matches("(" + w1.pid() + "|" + w2.pid() + "):.*"));
        Tools.awaitJson(http, baseB + "/api/channels", list -> list.size() == 10,
            Duration.ofSeconds(30));
        double duration = Double.parseDouble(Tools.ffprobe("-show_entries", "format=duration",
            "-of", "csv=p=0", baseB + "/streams/canal7/playlist.m3u8").strip());
        assertThat(duration).isBetween(1.8, 2.2);
        awaitNoUploadsLeft(s3, bucket);

        // a worker killed mid-job: the other one starts it again and publishes one channel
        String killedJob = jobId(upload(baseB, "survivor", longVideo));
        JsonNode running = Tools.awaitJson(http, baseA + "/api/jobs/" + killedJob,
            j -> j.get("state").asText().equals("running") && j.get("progress").asDouble() > 0.05,
            Duration.ofSeconds(60));
        String first = running.get("worker").asText();
        DemoProcess victim = first.startsWith(w1.pid() + ":") ? w1 : w2;
        DemoProcess heir = victim == w1 ? w2 : w1;
        victim.kill();
        JsonNode recovered = Tools.awaitJobEnd(http, baseA + "/api/jobs/" + killedJob,
            Duration.ofSeconds(180));
        assertThat(recovered.get("state").asText()).as(recovered.toString()).isEqualTo("done");
        assertThat(recovered.get("attempts").asInt()).isEqualTo(2);
        assertThat(recovered.get("worker").asText()).startsWith(heir.pid() + ":");
        JsonNode channels = Tools.awaitJson(http, baseA + "/api/channels",
            list -> list.size() == 11, Duration.ofSeconds(30));
        assertThat(channels.findValuesAsText("id").stream().filter("survivor"::equals))
            .hasSize(1);
        awaitNoUploadsLeft(s3, bucket);
        // the killed attempt's draft at most, which the store sweeps after six idle hours
        assertThat(s3.client().listObjectsV2(r -> r.bucket(bucket).prefix(".hlskit-drafts/"))
            .contents().stream().map(o -> o.key().split("/")[1]).distinct())
            .hasSizeLessThanOrEqualTo(1);

        // a cancel through one instance stops the job running on the worker within 2 s
        String cancelled = jobId(upload(baseA, "stopped", longVideo));
        Tools.awaitJson(http, baseB + "/api/jobs/" + cancelled,
            j -> j.get("state").asText().equals("running"), Duration.ofSeconds(60));
        HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(baseB
                + "/api/jobs/" + cancelled)).header("Authorization", "Bearer " + TOKEN)
            .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        long asked = System.nanoTime();
        Tools.awaitJson(http, baseA + "/api/jobs/" + cancelled,
            j -> j.get("state").asText().equals("cancelled"), Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
        assertThat(getJson(baseA + "/api/channels").findValuesAsText("id"))
            .doesNotContain("stopped");
        Tools.awaitJson(http, heir.baseUrl() + "/api/health/ready",
            j -> j.get("status").asText().equals("UP"), Duration.ofSeconds(5));

        // a poison job fails after three attempts; the worker goes on
        String poison = jobId(upload(baseA, "poison", truncated));
        JsonNode failed = Tools.awaitJobEnd(http, baseA + "/api/jobs/" + poison,
            Duration.ofSeconds(120));
        assertThat(failed.get("state").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("error").asText()).contains("after 3 attempts")
            .doesNotContain(dir.toString()).doesNotContain("/tmp");

        // jobs waiting while Redis restarts: none lost
        heir.close();
        List<String> waiting = List.of(jobId(upload(baseA, "after1", shortVideo)),
            jobId(upload(baseB, "after2", shortVideo)));
        redis.stop();
        redis.restart();
        start(processes, env, work);
        for (String job : waiting) {
          JsonNode done = Tools.awaitJobEnd(http, baseB + "/api/jobs/" + job,
              Duration.ofSeconds(120));
          assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
        }
        Tools.awaitJson(http, baseA + "/api/channels", list -> list.size() == 13,
            Duration.ofSeconds(30));
        awaitNoUploadsLeft(s3, bucket);
      } catch (AssertionError | Exception e) {
        StringBuilder out = new StringBuilder();
        for (DemoProcess p : processes) {
          out.append("\n--- process ").append(p.pid()).append(":\n").append(p.output());
        }
        throw new AssertionError(e.getMessage() + out, e);
      } finally {
        for (DemoProcess p : processes) {
          p.close();
        }
      }
    }
  }

  private DemoProcess start(List<DemoProcess> processes, Map<String, String> env,
      String... args) throws Exception {
    DemoProcess p = DemoProcess.start(dir, env, args);
    processes.add(p);
    p.baseUrl(); // up and listening
    return p;
  }

  /**
   * Every ended job's upload deleted: a worker deletes it just after the job's end is recorded,
   * so a client that saw the job end may still list it for a moment.
   */
  private static void awaitNoUploadsLeft(S3TestServer s3, String bucket) {
    Eventually.await(Duration.ofSeconds(10), "the ended jobs' uploads deleted",
        () -> uploadsLeft(s3, bucket).isEmpty());
  }

  private static List<String> uploadsLeft(S3TestServer s3, String bucket) {
    return s3.client().listObjectsV2(r -> r.bucket(bucket).prefix("_uploads/")).contents()
        .stream().map(S3Object::key).toList();
  }

  private HttpResponse<String> upload(String base, String channel, Path video)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/channels?id=" + channel
            + "&title=" + channel + "&profile=low"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String jobId(HttpResponse<String> upload) throws Exception {
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    return JSON.readTree(upload.body()).get("id").asText();
  }

  private JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
