package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.undertow.util.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an embedder adds: handlers of their own next to the HLS routes, and an access policy. */
class OpenServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n"
      + "#EXTINF:6.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n";

  private final HttpClient http = HttpClient.newHttpClient();
  private InMemoryMediaStore store;
  private HlsServer server;

  @BeforeEach
  void publish() {
    store = new InMemoryMediaStore();
    for (String id : List.of("open", "members")) {
      try (ChannelDraft d = store.draft(id)) {
        d.write("playlist.m3u8", PLAYLIST.getBytes(StandardCharsets.UTF_8));
        d.write("seg_00000.ts", new byte[188]);
        d.publish(ChannelMetadata.builder(id).build());
      }
    }
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return LocalHttp.get(http, server, path, headers);
  }

  @Test
  void aMountedHandlerGetsTheServersGzipCorsAndJsonErrors() throws Exception {
    String text = "hello ".repeat(200);
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .allowedOrigins(List.of("https://tv.example.com"))
        .mount("/hello", exchange -> {
          if (exchange.getRelativePath().equals("/boom")) {
            throw new IllegalStateException("a bug in the embedder's handler");
          }
          exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain")
              .put(Headers.ETAG, "\"v1\"");
          if (HlsHandlers.ifNoneMatch(exchange, "\"v1\"")) {
            exchange.setStatusCode(304);
            return;
          }
          exchange.getResponseSender().send(text + exchange.getRelativePath());
        })
        .build().start();

    HttpResponse<byte[]> plain = get("/hello/there");
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(text + "/there");

    HttpResponse<byte[]> zipped = get("/hello", "Accept-Encoding", "gzip",
        "Origin", "https://tv.example.com");
    assertThat(zipped.headers().firstValue("content-encoding")).contains("gzip");
    // two representations: the gzipped one says so in its ETag, and caches keep them apart
    assertThat(zipped.headers().firstValue("etag")).contains("\"v1-gz\"");
    assertThat(zipped.headers().allValues("vary")).contains("Accept-Encoding");
    assertThat(get("/hello", "Accept-Encoding", "gzip", "If-None-Match", "\"v1-gz\"")
        .statusCode()).isEqualTo(304);
    assertThat(plain.headers().firstValue("etag")).contains("\"v1\"");
    assertThat(zipped.headers().firstValue("access-control-allow-origin"))
        .contains("https://tv.example.com");
    try (GZIPInputStream in = new GZIPInputStream(
        new java.io.ByteArrayInputStream(zipped.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("hello");
    }

    HttpResponse<byte[]> boom = get("/hello/boom");
    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(boom.body()).get("error").asText()).isEqualTo("internal_error");
    assertThat(new String(boom.body(), StandardCharsets.UTF_8)).doesNotContain("embedder");

    // the HLS routes are still the server's
    assertThat(get("/streams/open/playlist.m3u8").statusCode()).isEqualTo(200);
    assertThat(get("/nothing/here").statusCode()).isEqualTo(404);
  }

  @Test
  void theServersOwnRoutesCannotBeMountedOver() {
    HlsServer.Builder b = HlsServer.builder().mediaStore(store);
    for (String own : List.of("/streams", "/api/", "/api/x", "/ws/chat")) {
      assertThatThrownBy(() -> b.mount(own, exchange -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own route");
    }
    assertThatThrownBy(() -> b.mount("hello", exchange -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start with '/'");
    assertThatThrownBy(() -> HlsServer.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("mediaStore");
  }

  /** Members' channels need the header {@code X-Member}; chat names come from it. */
  static final class MembersPolicy implements AccessPolicy {
    @Override
    public AccessDecision mayUpload(AccessRequest request) {
      return AccessDecision.forbidden("no uploads here");
    }

    @Override
    public AccessDecision mayDelete(AccessRequest request, String channelId) {
      return request.header("X-Member").isPresent() ? AccessDecision.ALLOW
          : AccessDecision.unauthenticated("members only");
    }

    @Override
    public AccessDecision mayWatch(AccessRequest request, ChannelMetadata channel) {
      return channel.id().equals("open") || request.header("X-Member").isPresent()
          ? AccessDecision.ALLOW : AccessDecision.unauthenticated("members only");
    }

    @Override
    public AccessDecision mayChat(AccessRequest request, ChannelMetadata channel) {
      return mayWatch(request, channel);
    }

    @Override
    public Optional<String> chatName(AccessRequest request) {
      return request.header("X-Member");
    }
  }

  @Test
  void theAccessPolicyDecidesWhoWatchesListsUploadsAndDeletes() throws Exception {
    QueuedIngestService ingest = QueuedIngestService.builder((request, progress) -> { })
        .build();
    server = HlsServer.builder().mediaStore(store).access(new MembersPolicy()).ingest(ingest)
        .host("127.0.0.1").port(0).build().start();

    assertThat(get("/streams/open/playlist.m3u8").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> refused = get("/streams/members/playlist.m3u8");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("www-authenticate")).isPresent();
    assertThat(JSON.readTree(refused.body()).get("message").asText()).isEqualTo("members only");
    // the playlist cache answers from memory: it asks the policy all the same
    assertThat(get("/streams/members/playlist.m3u8", "X-Member", "ana").statusCode())
        .isEqualTo(200);
    assertThat(get("/streams/members/playlist.m3u8").statusCode()).isEqualTo(401);
    assertThat(get("/streams/members/seg_00000.ts").statusCode()).isEqualTo(401);

    JsonNode anonymous = JSON.readTree(get("/api/channels").body());
    assertThat(anonymous).extracting(c -> c.get("id").asText()).containsExactly("open");
    JsonNode member = JSON.readTree(get("/api/channels", "X-Member", "ana").body());
    assertThat(member).hasSize(2);
    assertThat(get("/api/channels/members").statusCode()).isEqualTo(401);

    HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/api/channels?id=x"))
        .header("Content-Type", "video/mp4").POST(HttpRequest.BodyPublishers.ofString("x"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).isEqualTo(403);
    assertThat(upload.body()).contains("no uploads here");
    HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/api/channels/open")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(401);
    HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/api/channels/open")).header("X-Member", "ana")
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(store.channels().get("open")).isEmpty();
    assertThat(get("/streams/open/playlist.m3u8").statusCode()).isEqualTo(404);
    ingest.close();
  }

  @Test
  void theChatAsksThePolicyAndUsesTheNameItFixes() throws Exception {
    server = HlsServer.builder().mediaStore(store).access(new MembersPolicy())
        .host("127.0.0.1").port(0).build().start();

    Frames refused = Frames.open(http, server.port(), "members", null);
    assertThat(refused.next()).contains("\"type\":\"error\"").contains("unauthorized");

    Frames ana = Frames.open(http, server.port(), "members", "ana");
    ana.ws.sendText("{\"type\":\"join\",\"username\":\"admin\"}", true).join();
    assertThat(ana.next()).contains("\"type\":\"history\"");
    ana.ws.sendText("{\"type\":\"chat_message\",\"text\":\"hola\"}", true).join();
    String said;
    do {
      said = ana.next();
    } while (!said.contains("\"chat_message\""));
    assertThat(said).contains("\"username\":\"ana\"").doesNotContain("admin");
  }

  /** A WebSocket client that keeps the text frames it gets. */
  static final class Frames implements WebSocket.Listener {
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket ws;

    static Frames open(HttpClient http, int port, String channel, String member) {
      Frames f = new Frames();
      WebSocket.Builder b = http.newWebSocketBuilder();
      if (member != null) {
        b.header("X-Member", member);
      }
      f.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat?channel=" + channel),
          f).join();
      return f;
    }

    String next() throws InterruptedException {
      String frame = frames.poll(5, TimeUnit.SECONDS);
      assertThat(frame).as("a frame within 5 s").isNotNull();
      return frame;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
