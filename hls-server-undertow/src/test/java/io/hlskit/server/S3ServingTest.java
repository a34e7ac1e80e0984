package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.storage.s3.S3MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server in front of a real S3 server (S3Proxy in this JVM), over real HTTP. */
class S3ServingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n"
      + "#EXTINF:6.000,\nseg_00000.ts\n#EXT-X-ENDLIST\n";

  private S3TestServer s3;
  private S3MediaStore store;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private byte[] segment;

  @BeforeEach
  void start() throws Exception {
    s3 = S3TestServer.create();
    store = s3.storeBuilder(s3.newBucket()).scanInterval(Duration.ofMillis(500)).build();
    segment = new byte[12 * 1024 * 1024 + 17]; // larger than a multipart part
    new Random(7).nextBytes(segment);
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
      d.write("seg_00000.ts", segment);
      d.publish(ChannelMetadata.builder("canal1").title("Canal 1")
          .duration(Duration.ofSeconds(6)).created(Instant.parse("2026-11-25T10:00:00Z"))
          .build());
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .adminToken(ADMIN).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
    s3.close();
  }

  private static final String ADMIN = "s3-serving-admin-token-0123456789";

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return LocalHttp.get(http, server, path, headers);
  }

  @Test
  void streamsObjectsFromTheBucket() throws Exception {
    HttpResponse<byte[]> playlist = get("/streams/canal1/playlist.m3u8");
    assertThat(playlist.statusCode()).isEqualTo(200);
    assertThat(new String(playlist.body(), StandardCharsets.UTF_8)).isEqualTo(PLAYLIST);
    assertThat(playlist.headers().firstValue("content-type"))
        .contains("application/vnd.apple.mpegurl");

    HttpResponse<byte[]> seg = get("/streams/canal1/seg_00000.ts");
    assertThat(seg.statusCode()).isEqualTo(200);
    assertThat(seg.body()).isEqualTo(segment);
    assertThat(seg.headers().firstValue("cache-control"))
        .contains("public, max-age=31536000, immutable");

    String etag = seg.headers().firstValue("etag").orElseThrow();
    assertThat(get("/streams/canal1/seg_00000.ts", "If-None-Match", etag).statusCode())
        .isEqualTo(304);
  }

  @Test
  void passesRangesOnToTheBucket() throws Exception {
    HttpResponse<byte[]> middle = get("/streams/canal1/seg_00000.ts",
        "Range", "bytes=10000000-10000099");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("content-range"))
        .contains("bytes 10000000-10000099/" + segment.length);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(segment, 10_000_000, 10_000_100));

    HttpResponse<byte[]> suffix = get("/streams/canal1/seg_00000.ts", "Range", "bytes=-500");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body())
        .isEqualTo(Arrays.copyOfRange(segment, segment.length - 500, segment.length));

    assertThat(get("/streams/canal1/seg_00000.ts", "Range", "bytes=99999999-").statusCode())
        .isEqualTo(416);
  }

  @Test
  void healthAndStreamsTellTheTruthWhileTheStoreIsAway() throws Exception {
    assertThat(get("/api/health").statusCode()).isEqualTo(200);

    s3.stop();
    Thread.sleep(1100); // the health probe is cached for a second
    HttpResponse<byte[]> down = get("/api/health");
    assertThat(down.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(down.body());
    assertThat(body.get("storage").asText()).isEqualTo("DOWN");
    assertThat(body.has("storageError")).as("no endpoint or bucket for anyone who asks")
        .isFalse();
    assertThat(new String(down.body(), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("127.0.0.1").doesNotContain(store.bucket());
    JsonNode forAdmin = JSON.readTree(get("/api/health", "Authorization", "Bearer " + ADMIN)
        .body());
    assertThat(forAdmin.get("storageError").asText()).contains("cannot reach the S3 endpoint");
    assertThat(get("/api/health?live").statusCode()).as("alive, though not ready")
        .isEqualTo(200);
    HttpResponse<byte[]> seg = get("/streams/canal1/seg_00000.ts");
    assertThat(seg.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(seg.body()).get("error").asText()).isEqualTo("storage_unavailable");
    assertThat(get("/api/channels").statusCode()).as("the catalog answers from memory")
        .isEqualTo(200);

    s3.start();
    Thread.sleep(1100);
    assertThat(get("/api/health").statusCode()).isEqualTo(200);
    assertThat(get("/streams/canal1/seg_00000.ts").body()).isEqualTo(segment);
  }

  @Test
  void redirectsMediaToThePublicUrlWhenTheStoreHasOne() throws Exception {
    try (S3MediaStore cdn = s3.storeBuilder(store.bucket())
        .publicBaseUrl(URI.create("https://cdn.example.com/media/")).build();
        HlsServer direct = HlsServer.builder().mediaStore(cdn)
            .host("127.0.0.1").port(0).build().start()) {
      HttpClient noFollow = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<String> seg = noFollow.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + direct.port() + "/streams/canal1/seg_00000.ts")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(seg.statusCode()).isEqualTo(302);
      assertThat(seg.headers().firstValue("location"))
          .contains("https://cdn.example.com/media/canal1/seg_00000.ts");

      HttpResponse<String> playlist = noFollow.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + direct.port() + "/streams/canal1/playlist.m3u8")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(playlist.statusCode()).as("playlists still come from the server")
          .isEqualTo(200);
      assertThat(playlist.body()).isEqualTo(PLAYLIST);
    }
  }
}
