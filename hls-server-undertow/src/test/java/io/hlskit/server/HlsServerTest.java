package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server over real HTTP on loopback, serving a real folder. */
class HlsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n"
      + "#EXTINF:6.000,\nseg_00000.ts\n#EXT-X-ENDLIST\n";

  @TempDir
  Path dir;

  private Path root;
  private FileSystemMediaStore store;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private byte[] segment;

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectories(dir.resolve("streams"));
    Files.writeString(dir.resolve("secret.txt"), "do not serve");
    store = FileSystemMediaStore.at(root);
    segment = new byte[188 * 1000];
    new Random(7).nextBytes(segment);
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
      d.write("seg_00000.ts", segment);
      d.publish(ChannelMetadata.builder("canal1").title("Canal 1")
          .duration(Duration.ofSeconds(6)).created(Instant.parse("2026-11-25T10:00:00Z"))
          .build());
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    server.close(); // idempotent
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return LocalHttp.get(http, server, path, headers);
  }

  @Test
  void servesPlaylistsAndSegmentsWithTheirTypesAndCaching() throws Exception {
    HttpResponse<byte[]> playlist = get("/streams/canal1/playlist.m3u8");
    assertThat(playlist.statusCode()).isEqualTo(200);
    assertThat(new String(playlist.body(), StandardCharsets.UTF_8)).isEqualTo(PLAYLIST);
    assertThat(playlist.headers().firstValue("content-type"))
        .contains("application/vnd.apple.mpegurl");
    assertThat(playlist.headers().firstValue("cache-control")).contains("no-cache");

    HttpResponse<byte[]> seg = get("/streams/canal1/seg_00000.ts");
    assertThat(seg.statusCode()).isEqualTo(200);
    assertThat(seg.body()).isEqualTo(segment);
    assertThat(seg.headers().firstValue("content-type")).contains("video/mp2t");
    assertThat(seg.headers().firstValue("content-length")).contains("188000");
    assertThat(seg.headers().firstValue("cache-control"))
        .contains("public, max-age=31536000, immutable");
    assertThat(seg.headers().firstValue("accept-ranges")).contains("bytes");
  }

  @Test
  void answersConditionalRequestsWith304() throws Exception {
    HttpResponse<byte[]> first = get("/streams/canal1/seg_00000.ts");
    String etag = first.headers().firstValue("etag").orElseThrow();
    String modified = first.headers().firstValue("last-modified").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"");

    assertThat(get("/streams/canal1/seg_00000.ts", "If-None-Match", etag).statusCode())
        .isEqualTo(304);
    assertThat(get("/streams/canal1/seg_00000.ts", "If-None-Match", "\"other\", " + etag)
        .statusCode()).isEqualTo(304);
    assertThat(get("/streams/canal1/seg_00000.ts", "If-None-Match", "\"other\"").statusCode())
        .isEqualTo(200);
    assertThat(get("/streams/canal1/seg_00000.ts", "If-Modified-Since", modified).statusCode())
        .isEqualTo(304);
  }

  @Test
  void servesSingleRanges() throws Exception {
    HttpResponse<byte[]> r = get("/streams/canal1/seg_00000.ts", "Range", "bytes=100-299");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(segment, 100, 300));
    assertThat(r.headers().firstValue("content-range")).contains("bytes 100-299/188000");

    HttpResponse<byte[]> suffix = get("/streams/canal1/seg_00000.ts", "Range", "bytes=-188");
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(segment, 187812, 188000));

    HttpResponse<byte[]> open = get("/streams/canal1/seg_00000.ts", "Range", "bytes=187000-");
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(segment, 187000, 188000));

    HttpResponse<byte[]> beyond = get("/streams/canal1/seg_00000.ts", "Range", "bytes=999999-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("content-range")).contains("bytes */188000");

    HttpResponse<byte[]> malformed = get("/streams/canal1/seg_00000.ts", "Range", "bytes=abc");
    assertThat(malformed.statusCode()).isEqualTo(200);
    assertThat(malformed.body()).isEqualTo(segment);

    HttpResponse<byte[]> staleIfRange = get("/streams/canal1/seg_00000.ts", "Range",
        "bytes=0-9", "If-Range", "\"not-the-etag\"");
    assertThat(staleIfRange.statusCode()).isEqualTo(200);
  }

  @Test
  void headSendsHeadersOnly() throws Exception {
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/streams/canal1/seg_00000.ts"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-length")).contains("188000");
  }

  @Test
  void aChannelInTheApiHasTheNamesAndTypesOfItsChannelJson() throws Exception {
    ChannelMetadata full = ChannelMetadata.builder("full").title("Full")
        .duration(Duration.ofMillis(25_040)).poster("poster.jpg").source("talk.mp4")
        .addRendition(new RenditionInfo("720p", "720p/index.m3u8",
            Optional.of(new Resolution(1280, 720)), 1_650_000, 1_500_000,
            List.of("avc1.640028", "mp4a.40.2")))
        .created(Instant.parse("2026-11-25T12:00:00Z")).build();
    try (ChannelDraft d = store.draft("full")) {
      d.write("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
      d.publish(full);
    }

    JsonNode api = JSON.readTree(get("/api/channels/full").body());
    JsonNode stored = JSON.readTree(Files.readString(root.resolve("full/channel.json")));

    for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) stored::fields) {
      assertThat(api.get(field.getKey())).as(field.getKey()).isNotNull();
      assertThat(api.get(field.getKey()).getNodeType()).as(field.getKey())
          .isEqualTo(field.getValue().getNodeType());
    }
    assertThat(api.get("durationSeconds").decimalValue())
        .isEqualByComparingTo(stored.get("durationSeconds").decimalValue());
    assertThat(api.get("playlist").asText()).isEqualTo("/streams/full/playlist.m3u8");
    assertThat(api.get("poster").asText()).isEqualTo("/streams/full/poster.jpg");
    JsonNode rendition = api.get("renditions").get(0);
    assertThat(rendition.get("playlist").asText()).isEqualTo("/streams/full/720p/index.m3u8");
    assertThat(rendition.get("codecs")).extracting(JsonNode::asText)
        .containsExactly("avc1.640028", "mp4a.40.2");
    for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>)
        stored.get("renditions").get(0)::fields) {
      assertThat(rendition.get(field.getKey()).getNodeType()).as("rendition " + field.getKey())
          .isEqualTo(field.getValue().getNodeType());
    }
  }

  @Test
  void onlyPublishedChannelsAreServed() throws Exception {
    try (ChannelDraft d = store.draft("canal2")) {
      d.write("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
      // not published: the draft must stay invisible
      assertThat(get("/streams/canal2/playlist.m3u8").statusCode()).isEqualTo(404);
    }
    Files.createDirectories(root.resolve("notes"));
    Files.writeString(root.resolve("notes/readme.txt"), "not a channel");
    store.channels().refresh();

    HttpResponse<byte[]> r = get("/streams/notes/readme.txt");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("not_found");
    assertThat(get("/streams/canal1/missing.ts").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/streams/../secret.txt", "/streams/canal1/../../secret.txt",
      "/streams/%2e%2e/secret.txt", "/streams/canal1/%2e%2e/%2e%2e/secret.txt",
      "/streams/canal1%2f..%2f..%2fsecret.txt", "/streams/canal1/%252e%252e/secret.txt",
      "/streams/canal1/..%5c..%5csecret.txt", "/streams/canal1/..\\..\\secret.txt",
      "/streams/canal1/%c0%ae%c0%ae/secret.txt", "/streams/canal1/seg_00000.ts%00.m3u8",
      "/streams/canal1/.hidden", "/streams//canal1/playlist.m3u8", "/streams/canal1//x.ts",
      "/streams/CANAL1/playlist.m3u8", "/streams/canal1", "/streams/"})
  void traversalAttemptsNeverReachAFile(String path) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close"
        + "\r\n\r\n");

    String status = response.substring(0, response.indexOf("\r\n"));
    assertThat(status).matches("HTTP/1\\.1 (400|404) .*");
    assertThat(response).doesNotContain("do not serve");
  }

  @Test
  void theApiListsChannels() throws Exception {
    HttpResponse<byte[]> list = get("/api/channels");
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("content-type").orElseThrow())
        .startsWith("application/json");
    JsonNode channels = JSON.readTree(list.body());
    assertThat(channels).hasSize(1);
    JsonNode c = channels.get(0);
    assertThat(c.get("id").asText()).isEqualTo("canal1");
    assertThat(c.get("title").asText()).isEqualTo("Canal 1");
    assertThat(c.get("playlist").asText()).isEqualTo("/streams/canal1/playlist.m3u8");
    assertThat(c.get("durationSeconds").asDouble()).isEqualTo(6.0);
    assertThat(c.get("renditions").isArray()).isTrue();
    assertThat(c.has("poster")).isTrue();

    assertThat(JSON.readTree(get("/api/channels/canal1").body()).get("id").asText())
        .isEqualTo("canal1");
    HttpResponse<byte[]> missing = get("/api/channels/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("message").asText()).contains("nope");
    assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<byte[]> health = get("/api/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void wrongMethodsAre405() throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/streams/canal1/playlist.m3u8"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("GET, HEAD");
  }

  @Test
  void aBusyPortIsAClearError() {
    HlsServer second = HlsServer.builder().mediaStore(store)
        .host("127.0.0.1").port(server.port()).build();
    assertThatThrownBy(second::start).isInstanceOf(HlsException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
  }

  @Test
  void playlistsAndJsonAreGzippedForClientsThatAcceptIt() throws Exception {
    HttpResponse<byte[]> plain = get("/streams/canal1/playlist.m3u8");
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();

    HttpResponse<byte[]> zipped = get("/streams/canal1/playlist.m3u8",
        "Accept-Encoding", "gzip");
    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(gunzip(zipped.body())).isEqualTo(PLAYLIST.getBytes(StandardCharsets.UTF_8));
    assertThat(zipped.headers().allValues("vary")).as("caches keep both forms apart")
        .anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding"));
    assertThat(plain.headers().allValues("vary"))
        .anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding"));
    String plainTag = plain.headers().firstValue("etag").orElseThrow();
    String zippedTag = zipped.headers().firstValue("etag").orElseThrow();
    assertThat(zippedTag).as("another representation, another tag").isNotEqualTo(plainTag)
        .endsWith("-gz\"");
    assertThat(get("/streams/canal1/playlist.m3u8", "Accept-Encoding", "gzip",
        "If-None-Match", zippedTag).statusCode()).isEqualTo(304);
    assertThat(get("/streams/canal1/playlist.m3u8", "If-None-Match", plainTag).statusCode())
        .isEqualTo(304);

    HttpResponse<byte[]> api = get("/api/channels", "Accept-Encoding", "gzip");
    assertThat(api.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(JSON.readTree(gunzip(api.body())).get(0).get("id").asText()).isEqualTo("canal1");

    HttpResponse<byte[]> seg = get("/streams/canal1/seg_00000.ts", "Accept-Encoding", "gzip");
    assertThat(seg.headers().firstValue("content-encoding")).as("media is not text").isEmpty();
    assertThat(seg.body()).isEqualTo(segment);
    HttpResponse<byte[]> range = get("/streams/canal1/playlist.m3u8", "Accept-Encoding", "gzip",
        "Range", "bytes=0-6");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo("#EXTM3U");
  }

  @Test
  void aRepublishedPlaylistIsServedNewWithinASecondOrSo() throws Exception {
    assertThat(get("/streams/canal1/playlist.m3u8").body())
        .isEqualTo(PLAYLIST.getBytes(StandardCharsets.UTF_8)); // now kept in memory
    String second = PLAYLIST.replace("#EXTINF:6.000,", "#EXTINF:5.500,");
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", second.getBytes(StandardCharsets.UTF_8));
      d.write("seg_00000.ts", segment);
      d.publish(ChannelMetadata.builder("canal1").title("Canal 1, again")
          .duration(Duration.ofMillis(5500)).created(Instant.parse("2026-11-25T11:00:00Z"))
          .build());
    }

    io.hlskit.core.contract.Eventually.await(Duration.ofSeconds(3), "the new playlist served",
        () -> {
          try {
            return new String(get("/streams/canal1/playlist.m3u8").body(),
                StandardCharsets.UTF_8).equals(second);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    store.deleteChannel("canal1");
    assertThat(get("/streams/canal1/playlist.m3u8").statusCode())
        .as("a deleted channel's playlist is gone at once, cached or not").isEqualTo(404);
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @Test
  void crossOriginReadsFollowTheAllowList() throws Exception {
    try (HlsServer cors = HlsServer.builder().mediaStore(store)
        .allowedOrigins(List.of("https://tv.example.com")).host("127.0.0.1").port(0).build()
        .start()) {
      String base = "http://127.0.0.1:" + cors.port();
      HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create(base
          + "/streams/canal1/seg_00000.ts")).header("Origin", "https://tv.example.com")
          .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ok.statusCode()).isEqualTo(206);
      assertThat(ok.headers().firstValue("access-control-allow-origin"))
          .contains("https://tv.example.com");
      assertThat(ok.headers().firstValue("access-control-expose-headers").orElseThrow())
          .contains("Content-Length").contains("Content-Range");
      assertThat(ok.headers().allValues("vary")).anyMatch(v -> v.contains("Origin"));

      HttpResponse<byte[]> foreign = http.send(HttpRequest.newBuilder(URI.create(base
          + "/api/channels")).header("Origin", "https://evil.example").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(foreign.statusCode()).as("the browser, not the server, withholds the body")
          .isEqualTo(200);
      assertThat(foreign.headers().firstValue("access-control-allow-origin")).isEmpty();

      HttpResponse<byte[]> preflight = http.send(HttpRequest.newBuilder(URI.create(base
              + "/streams/canal1/seg_00000.ts")).header("Origin", "https://tv.example.com")
          .header("Access-Control-Request-Method", "GET")
          .header("Access-Control-Request-Headers", "range")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.headers().firstValue("access-control-allow-headers").orElseThrow())
          .contains("Range");
      HttpResponse<byte[]> badPreflight = http.send(HttpRequest.newBuilder(URI.create(base
              + "/api/channels")).header("Origin", "https://evil.example")
          .header("Access-Control-Request-Method", "POST")
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(badPreflight.statusCode()).isEqualTo(403);
    }
    HttpResponse<byte[]> sameOrigin = get("/streams/canal1/playlist.m3u8",
        "Origin", "https://tv.example.com");
    assertThat(sameOrigin.headers().firstValue("access-control-allow-origin"))
        .as("no allow-list: nothing for other origins").isEmpty();
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
