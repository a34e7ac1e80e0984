package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.crypto.ContentKey;
import io.hlskit.core.crypto.SegmentCipher;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A private channel behind the JWT policy over real HTTP: hidden from the list, playlists and
 * keys only with a token, the token carried into every URI of a playlist fetched with {@code
 * ?token=}, keys never served from {@code /streams}, and the chat's name fixed by the token.
 */
class PrivateChannelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = JwtAccessPolicyTest.SECRET;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ContentKey key = ContentKey.generate();
  private final byte[] clear = new byte[188 * 40];
  private InMemoryMediaStore store;
  private HlsServer server;
  private String token;

  @BeforeEach
  void publish() throws Exception {
    new Random(7).nextBytes(clear);
    store = new InMemoryMediaStore();
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    SegmentCipher.encrypt(key, SegmentCipher.ivFor(0), new ByteArrayInputStream(clear),
        encrypted);
    try (ChannelDraft d = store.draft("members")) {
      d.write("playlist.m3u8", ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000\n"
          + "360p/index.m3u8\n").getBytes(StandardCharsets.UTF_8));
      d.write("360p/index.m3u8", ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n"
          + "#EXT-X-KEY:METHOD=AES-128,URI=\"" + key.uri("members") + "\"\n"
          + "#EXTINF:6.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
      d.write("360p/seg_00000.ts", encrypted.toByteArray());
      d.write(ContentKey.relativeKey(key.id()), key.bytes());
      d.publish(ChannelMetadata.builder("members").visibility(Visibility.PRIVATE).build());
    }
    try (ChannelDraft d = store.draft("open")) {
      d.write("playlist.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg.ts\n"
          .getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder("open").build());
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .access(JwtAccessPolicy.builder().hs256Secret(SECRET).build()).build().start();
    token = JwtTokens.hs256(SECRET).subject("alice").name("Alice").sign();
  }

  @AfterEach
  void close() {
    server.close();
    store.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return LocalHttp.get(http, server, path, headers);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private List<String> listed(String... headers) throws Exception {
    JsonNode list = JSON.readTree(get("/api/channels", headers).body());
    return StreamSupport.stream(list.spliterator(), false).map(c -> c.get("id").asText())
        .toList();
  }

  @Test
  void theListShowsPrivateChannelsOnlyToATokenHolder() throws Exception {
    assertThat(listed()).containsExactly("open");
    assertThat(listed("Authorization", "Bearer " + token)).containsExactlyInAnyOrder("open",
        "members");
    JsonNode one = JSON.readTree(get("/api/channels/members", "Authorization", "Bearer " + token)
        .body());
    assertThat(one.get("visibility").asText()).isEqualTo("private");
    assertThat(get("/api/channels/members").statusCode()).isEqualTo(401);
  }

  @Test
  void playlistsNeedATokenAndAQueryTokenFollowsEveryUri() throws Exception {
    HttpResponse<byte[]> refused = get("/streams/members/playlist.m3u8");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("unauthorized");
    assertThat(get("/streams/members/playlist.m3u8?token=" + token.substring(1)).statusCode())
        .isEqualTo(401);

    HttpResponse<byte[]> byHeader = get("/streams/members/360p/index.m3u8", "Authorization",
        "Bearer " + token);
    assertThat(byHeader.statusCode()).isEqualTo(200);
    assertThat(text(byHeader)).doesNotContain("token=");
    assertThat(byHeader.headers().firstValue("Cache-Control")).contains("private, no-cache");

    HttpResponse<byte[]> master = get("/streams/members/playlist.m3u8?token=" + token);
    assertThat(master.statusCode()).isEqualTo(200);
    assertThat(master.headers().firstValue("Cache-Control")).contains("private, no-store");
    MultivariantPlaylist mv = PlaylistParser.strict().parseMultivariant(text(master));
    assertThat(mv.variants().get(0).uri()).isEqualTo("360p/index.m3u8?token=" + token);

    HttpResponse<byte[]> media = get("/streams/members/360p/index.m3u8?token=" + token);
    MediaPlaylist mp = PlaylistParser.strict().parseMedia(text(media));
    assertThat(mp.segments().get(0).uri()).isEqualTo("seg_00000.ts?token=" + token);
    assertThat(mp.segments().get(0).key().orElseThrow().uri())
        .isEqualTo(key.uri("members") + "?token=" + token);

    // what the player then fetches: the segment (encrypted) and the key, which decrypts it
    HttpResponse<byte[]> segment = get("/streams/members/360p/seg_00000.ts?token=" + token);
    assertThat(segment.statusCode()).isEqualTo(200);
    assertThat(segment.body()).isNotEqualTo(clear);
    HttpResponse<byte[]> k = get(key.uri("members") + "?token=" + token);
    assertThat(k.statusCode()).isEqualTo(200);
    assertThat(k.headers().firstValue("Cache-Control")).contains("private, no-store");
    ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
    SegmentCipher.decrypt(ContentKey.of("k", k.body()), SegmentCipher.ivFor(0),
        new ByteArrayInputStream(segment.body()), decrypted);
    assertThat(decrypted.toByteArray()).isEqualTo(clear);
  }

  @Test
  void keysGoOutOnlyThroughTheKeyEndpointAndOnlyWithAToken() throws Exception {
    assertThat(get(key.uri("members")).statusCode()).isEqualTo(401);
    assertThat(get(key.uri("members"), "Authorization", "Bearer " + token).body())
        .isEqualTo(key.bytes());
    for (String path : List.of("/streams/members/keys/" + key.id() + ".key",
        "/streams/members/keys/" + key.id() + ".key?token=" + token)) {
      HttpResponse<byte[]> r = get(path, "Authorization", "Bearer " + token);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).isNotEqualTo(key.bytes());
    }
    assertThat(get("/api/keys/members/nokey", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(404);
    assertThat(get("/api/keys/members/..%2Fopen", "Authorization", "Bearer " + token)
        .statusCode()).isEqualTo(404);
    assertThat(get("/api/keys/nochannel/" + key.id(), "Authorization", "Bearer " + token)
        .statusCode()).isEqualTo(404);
  }

  @Test
  void theChatOfAPrivateChannelNeedsATokenAndTakesItsName() throws Exception {
    ChatClient anonymous = new ChatClient(http, server.port()).connect("channel=members",
        Map.of());
    assertThat(anonymous.next("error").get("code").asText()).isEqualTo("unauthorized");

    ChatClient alice = new ChatClient(http, server.port())
        .connect("channel=members&token=" + token, Map.of()).join("Bob");
    alice.next("history");
    alice.send("{\"type\":\"chat_message\",\"text\":\"hi\"}");
    assertThat(alice.next("chat_message").get("username").asText())
        .as("the token's name, not the one the join frame chose").isEqualTo("Alice");

    // an anonymous user of a public room cannot take the name a signed-in user holds either
    ChatClient bob = new ChatClient(http, server.port()).connect("channel=open",
        Map.of("Authorization", "Bearer " + token)).join("Mallory");
    bob.next("history");
    bob.send("{\"type\":\"chat_message\",\"text\":\"hello\"}");
    assertThat(bob.next("chat_message").get("username").asText()).isEqualTo("Alice");
  }
}
