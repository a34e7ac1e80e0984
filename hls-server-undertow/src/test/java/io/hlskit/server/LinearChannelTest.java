package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linear channels over real HTTP on a folder: created, changed and deleted through the API by
 * an administrator, refused with the field named, and served as live playlists whose segment
 * URIs lead to the items' own segments; two servers on one folder answer the same playlist.
 */
class LinearChannelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "an-admin-token-for-linear-tests";
  private static final String CODECS = "avc1.42c01e,mp4a.40.2";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> open = new ArrayList<>();
  private MediaStore store;
  private HlsServer server;

  @BeforeEach
  void publishItems() {
    store = FileSystemMediaStore.at(dir);
    open.add(store);
    vod("a", 2);
    vod("b", 3);
    server = server(store);
  }

  @AfterEach
  void close() throws Exception {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private HlsServer server(MediaStore on) {
    HlsServer s = HlsServer.builder().mediaStore(on).host("127.0.0.1").port(0)
        .adminToken(ADMIN).linearWindow(4).build().start();
    open.add(s);
    return s;
  }

  /** A channel on demand with one 360p rendition of {@code count} segments of 2 s. */
  private void vod(String id, int count) {
    StringBuilder media = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
        + "#EXT-X-PLAYLIST-TYPE:VOD\n");
    try (ChannelDraft d = store.draft(id)) {
      for (int i = 0; i < count; i++) {
        media.append("#EXTINF:2.000,\nseg_").append(i).append(".ts\n");
        d.write("360p/seg_" + i + ".ts", (id + i).getBytes(StandardCharsets.UTF_8));
      }
      d.write("360p/playlist.m3u8", bytes(media + "#EXT-X-ENDLIST\n"));
      d.write("playlist.m3u8", bytes("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=600000,CODECS=\""
          + CODECS + "\"\n360p/playlist.m3u8\n"));
      d.publish(ChannelMetadata.builder(id).title("Title " + id)
          .duration(Duration.ofSeconds(2L * count)).addRendition(new RenditionInfo("360p",
              "360p/playlist.m3u8", Optional.empty(), 600_000, 0, List.of(CODECS.split(","))))
          .build());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(HlsServer to, String method, String path, String body,
      boolean admin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port()
        + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (admin) {
      b.header("Authorization", "Bearer " + ADMIN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(server, "GET", path, null, false);
  }

  private static String news(String start, String... items) throws Exception {
    List<Object> list = new ArrayList<>();
    for (String i : items) {
      list.add(Map.of("channel", i));
    }
    return JSON.writeValueAsString(Map.of("id", "news", "title", "News", "kind", "linear",
        "schedule", Map.of("start", start, "loop", true, "items", list)));
  }

  @Test
  void anAdministratorCreatesALinearChannelThatPlaysItsItemsLive() throws Exception {
    String start = Instant.now().minusSeconds(5).toString();
    assertThat(send(server, "POST", "/api/linear", news(start, "a", "b"), false).statusCode())
        .isEqualTo(401);

    HttpResponse<String> created = send(server, "POST", "/api/linear", news(start, "a", "b"),
        true);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/channels/news");
    JsonNode channel = JSON.readTree(get("/api/channels/news").body());
    assertThat(channel.path("kind").asText()).isEqualTo("linear");
    assertThat(channel.path("live").asBoolean()).isTrue();
    assertThat(channel.path("nowPlaying").path("channel").asText()).isEqualTo("b");
    assertThat(channel.path("nowPlaying").path("title").asText()).isEqualTo("Title b");
    assertThat(channel.path("next").path("channel").asText()).isEqualTo("a");
    assertThat(channel.path("renditions").get(0).path("playlist").asText())
        .isEqualTo("/streams/news/360p/playlist.m3u8");
    assertThat(JSON.readTree(get("/api/channels/a").body()).path("live").asBoolean()).isFalse();

    HttpResponse<String> entry = get("/streams/news/playlist.m3u8");
    assertThat(entry.statusCode()).isEqualTo(200);
    MultivariantPlaylist m = PlaylistParser.strict().parseMultivariant(entry.body());
    assertThat(m.variants()).extracting(v -> v.uri()).containsExactly("360p/playlist.m3u8");

    HttpResponse<String> live = get("/streams/news/360p/playlist.m3u8");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type"))
        .contains("application/vnd.apple.mpegurl");
    assertThat(live.headers().firstValue("Cache-Control")).contains("max-age=1");
    MediaPlaylist p = PlaylistParser.strict().parseMedia(live.body());
    assertThat(p.endList()).isFalse();
    assertThat(live.body()).doesNotContain("#EXT-X-ENDLIST").contains("#EXT-X-DISCONTINUITY\n")
        .contains("#EXT-X-PROGRAM-DATE-TIME:");
    // every URI leads to an item's own segment
    URI base = URI.create("http://127.0.0.1:" + server.port() + "/streams/news/360p/");
    for (MediaSegment s : p.segments()) {
      URI segment = base.resolve(s.uri());
      assertThat(segment.getPath()).matches("/streams/[ab]/360p/seg_\\d\\.ts");
      HttpResponse<String> got = get(segment.getPath());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(segment.getPath().substring(9, 10)
          + segment.getPath().charAt(segment.getPath().length() - 4));
    }
  }

  @Test
  void itIsChangedByPutAndDeletedLikeAnyChannel() throws Exception {
    String start = Instant.now().minusSeconds(1).toString();
    assertThat(send(server, "POST", "/api/linear", news(start, "a"), true).statusCode())
        .isEqualTo(201);
    HttpResponse<String> again = send(server, "POST", "/api/linear", news(start, "b"), true);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("PUT /api/linear/news");

    HttpResponse<String> changed = send(server, "PUT", "/api/linear/news", news(start, "b"),
        true);

    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(get("/streams/news/360p/playlist.m3u8").body()).contains("../../b/360p/seg_0.ts")
        .doesNotContain("/a/");
    HttpResponse<String> onDemand = send(server, "PUT", "/api/linear/a", news(start, "b")
        .replace("\"news\"", "\"a\""), true);
    assertThat(onDemand.statusCode()).isEqualTo(409);
    assertThat(onDemand.body()).contains("is on demand");

    assertThat(send(server, "DELETE", "/api/channels/news", null, true).statusCode())
        .isEqualTo(204);
    assertThat(get("/streams/news/360p/playlist.m3u8").statusCode()).isEqualTo(404);
    assertThat(get("/streams/a/360p/seg_0.ts").statusCode()).isEqualTo(200); // items stay
  }

  @Test
  void badSchedulesAreRefusedNamingTheField() throws Exception {
    String now = Instant.now().toString();
    send(server, "POST", "/api/linear", news(now, "a").replace("\"news\"", "\"lin\""), true);
    List<String> tooMany = new ArrayList<>(Collections.nCopies(10_001, "a"));
    Map<String, String> cases = Map.of(
        news(now, "a", "nope"), "schedule.items[1].channel: 'nope' is not a stored channel",
        news(now), "schedule.items:",
        news(now, tooMany.toArray(String[]::new)), "schedule.items: 10001 items",
        news("1969-12-31T23:59:59Z", "a"), "schedule.start:",
        news("2100-01-01T00:00:00Z", "a"), "schedule.start:",
        news(now, "a", "lin"), "schedule.items[1].channel: 'lin' is a linear channel",
        news(now, "a").replace("\"news\"", "\"Bad/Id\""), "id: 'Bad/Id' is not a channel id",
        "[1,2]", "the body is a JSON object",
        news(now, "a").replace("\"linear\"", "\"vod\""), "kind: must be \"linear\"");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = send(server, "POST", "/api/linear", c.getKey(), true);
      assertThat(r.statusCode()).as(c.getValue()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("message").asText()).as(r.body())
          .startsWith(c.getValue());
    }
    assertThat(store.channels().get("news")).isEmpty();
  }

  @Test
  void beforeItsStartItAnswers404WithTheStart() throws Exception {
    Instant start = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
    send(server, "POST", "/api/linear", news(start.toString(), "a"), true);

    HttpResponse<String> r = get("/streams/news/360p/playlist.m3u8");

    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("error").asText()).isEqualTo("not_started");
    assertThat(body.path("starts_at").asText()).isEqualTo(start.toString());
    assertThat(get("/streams/news/playlist.m3u8").statusCode()).isEqualTo(404);
    JsonNode channel = JSON.readTree(get("/api/channels/news").body());
    assertThat(channel.path("nowPlaying").isNull()).isTrue();
    assertThat(channel.path("next").path("start").asText()).isEqualTo(start.toString());
  }

  @Test
  void twoServersOnOneFolderAnswerTheSamePlaylist() throws Exception {
    send(server, "POST", "/api/linear", news(Instant.now().minusSeconds(7).toString(), "a",
        "b"), true);
    MediaStore again = open(FileSystemMediaStore.at(dir)); // another instance, same folder
    again.channels().refresh();
    HlsServer second = server(again);

    String path = "/streams/news/360p/playlist.m3u8";
    // asked within milliseconds of each other; a segment may start in between, so a few tries
    boolean same = false;
    for (int i = 0; i < 5 && !same; i++) {
      String one = send(server, "GET", path, null, false).body();
      String two = send(second, "GET", path, null, false).body();
      same = one.equals(two) && one.contains("#EXTINF");
    }
    assertThat(same).isTrue();
  }

  private <T extends AutoCloseable> T open(T c) {
    open.add(c);
    return c;
  }
}
