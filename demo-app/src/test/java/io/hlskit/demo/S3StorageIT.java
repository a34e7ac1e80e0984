package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.hlskit.transcode.internal.SampleVideo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a bucket: {@code convert --storage s3} publishes into a real S3 server
 * (S3Proxy in this JVM), two {@code serve --storage s3} processes list and stream the same
 * channels, and Debian's ffprobe reads the video through them.
 */
class S3StorageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dir;

  static S3TestServer s3;
  static Map<String, String> env;

  @BeforeAll
  static void startStore() throws Exception {
    s3 = S3TestServer.create();
    env = Map.of("HLS_STORAGE", "s3", "HLS_S3_ENDPOINT", s3.endpoint().toString(),
        "HLS_S3_BUCKET", s3.newBucket(), "HLS_S3_PATH_STYLE", "true",
        "HLS_S3_REGION", "us-east-1", "HLS_S3_REFRESH_SECONDS", "1",
        "AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
  }

  @AfterAll
  static void stopStore() throws Exception {
    s3.close();
  }

  private static void convert(String channel, String title) throws Exception {
    Path video = dir.resolve(channel + ".mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(320, 180, 4));
    try (DemoProcess convert = DemoProcess.start(dir, env, "convert", video.toString(), channel,
        "low", "--title", title, "--segment-seconds", "2")) {
      assertThat(convert.waitFor(120)).as(convert.output()).isZero();
      assertThat(convert.output()).contains("s3://" + env.get("HLS_S3_BUCKET") + "/" + channel
          + "/playlist.m3u8");
    }
  }

  private static List<String> channelIds(String base) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base
        + "/api/channels")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JSON.readTree(r.body()).forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }

  private static void awaitChannel(String base, String id, DemoProcess demo) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!channelIds(base).contains(id)) {
      assertThat(System.nanoTime()).as(id + " listed by " + base + "; output:\n"
          + demo.output()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void twoInstancesServeWhatConvertPublishedToTheBucket() throws Exception {
    Tools.requireFfprobe();
    convert("canal1", "Desde S3");

    try (DemoProcess a = DemoProcess.start(dir, env, "serve", "--port", "0", "--host",
        "127.0.0.1", "--no-samples");
        DemoProcess b = DemoProcess.start(dir, env, "serve", "--port", "0", "--host",
            "127.0.0.1", "--no-samples")) {
      String baseA = a.baseUrl();
      String baseB = b.baseUrl();
      assertThat(channelIds(baseA)).containsExactly("canal1");
      assertThat(channelIds(baseB)).containsExactly("canal1");
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(baseA
          + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode h = JSON.readTree(health.body());
      assertThat(h.get("storage").asText()).isEqualTo("UP");

      double duration = Double.parseDouble(Tools.ffprobe("-show_entries", "format=duration",
          "-of", "csv=p=0", baseB + "/streams/canal1/playlist.m3u8").strip());
      assertThat(duration).isBetween(3.8, 4.2);
      String streams = Tools.ffprobe("-show_entries", "stream=codec_name,width,height",
          "-of", "compact", baseA + "/streams/canal1/playlist.m3u8");
      assertThat(streams).contains("codec_name=h264").contains("width=320")
          .contains("codec_name=aac");

      // a channel published while both run reaches both within the listing interval
      convert("canal2", "Otro");
      awaitChannel(baseA, "canal2", a);
      awaitChannel(baseB, "canal2", b);
    }
  }
}
