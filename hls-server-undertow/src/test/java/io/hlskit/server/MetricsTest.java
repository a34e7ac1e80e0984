package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server with a meter registry records what it serves, by kind and status, counts the players
 * of each channel and the chat's sessions and messages; without one it records nothing.
 */
class MetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private InMemoryMediaStore store;
  private HlsServer server;

  @BeforeEach
  void start() {
    store = new InMemoryMediaStore();
    for (String id : List.of("uno", "dos")) {
      try (ChannelDraft d = store.draft(id)) {
        d.write("playlist.m3u8", ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg.ts\n"
            + "#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
        d.write("seg.ts", new byte[188 * 100]);
        d.publish(ChannelMetadata.builder(id).build());
      }
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .meterRegistry(registry).viewerWindow(Duration.ofSeconds(2)).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return LocalHttp.get(http, server, path, headers);
  }

  private long requests(String kind, String status) {
    Timer t = registry.find("hlskit.http.requests").tags("kind", kind, "status", status).timer();
    return t == null ? 0 : t.count();
  }

  private Map<String, Double> rows(String gauge) {
    Map<String, Double> rows = new HashMap<>();
    for (Gauge g : registry.find(gauge).gauges()) {
      rows.put(g.getId().getTag("channel"), g.value());
    }
    return rows;
  }

  private Map<String, Integer> viewersInTheApi() throws Exception {
    Map<String, Integer> viewers = new HashMap<>();
    JSON.readTree(get("/api/channels").body()).forEach(c -> viewers.put(c.get("id").asText(),
        c.get("viewers").asInt()));
    return viewers;
  }

  @Test
  void requestsAreTimedAndCountedByKindAndStatus() throws Exception {
    get("/streams/uno/playlist.m3u8");
    get("/streams/uno/seg.ts");
    get("/streams/uno/seg.ts");
    get("/streams/uno/nothing.ts");
    get("/api/channels");
    get("/api/keys/uno/k1");
    get("/nowhere");
    // samples reach the registry in batches, measured once each handler has returned
    Eventually.await(Duration.ofSeconds(5), "every request recorded",
        () -> requests("page", "404") == 1 && requests("playlist", "200") == 1
            && requests("segment", "200") == 2 && requests("segment", "404") == 1
            && requests("api", "200") == 1 && requests("key", "404") == 1);
    assertThat(registry.get("hlskit.http.sent").tag("kind", "segment").counter().count())
        .isGreaterThanOrEqualTo(2 * 188 * 100);
    assertThat(registry.get("hlskit.channels").gauge().value()).isEqualTo(2);
    assertThat(registry.find("hlskit.undertow.worker.size").gauge()).isNotNull();
    // buckets fine enough for a playlist answered in microseconds, wide enough for a slow player
    Timer playlists = registry.get("hlskit.http.requests").tags("kind", "playlist").timer();
    assertThat(playlists.takeSnapshot().histogramCounts())
        .extracting(c -> (long) c.bucket(TimeUnit.MICROSECONDS))
        .contains(100L, 1_000L, 30_000_000L);
  }

  @Test
  void privateChannelsAreNeverNamedInTheMetrics() throws Exception {
    try (ChannelDraft d = store.draft("secreto")) {
      d.write("playlist.m3u8", "#EXTM3U\n#EXT-X-ENDLIST\n".getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder("secreto").visibility(Visibility.PRIVATE).build());
    }
    server.close();
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .adminToken("an-admin-token").meterRegistry(registry)
        .viewerWindow(Duration.ofSeconds(2)).build().start();
    for (String session : List.of("a", "b")) {
      assertThat(get("/streams/secreto/playlist.m3u8?session=" + session,
          "Authorization", "Bearer an-admin-token").statusCode()).isEqualTo(200);
    }
    get("/streams/uno/playlist.m3u8?session=c");
    Eventually.await(Duration.ofSeconds(8), "the viewer gauges",
        () -> rows("hlskit.channel.viewers").equals(Map.of("uno", 1.0, "other", 2.0)));
    JsonNode secreto = JSON.readTree(get("/api/channels/secreto", "Authorization",
        "Bearer an-admin-token").body());
    assertThat(secreto.get("viewers").asInt()).as("the admin still sees them").isEqualTo(2);
  }

  @Test
  void playersAreCountedPerChannelAndForgottenAfterTheWindow() throws Exception {
    for (String session : List.of("a", "b", "c")) {
      get("/streams/uno/playlist.m3u8?session=" + session);
      get("/streams/uno/seg.ts?session=" + session);
    }
    get("/streams/dos/playlist.m3u8", "Cookie", "hlskit_session=zz");
    get("/streams/dos/seg.ts", "Cookie", "hlskit_session=zz");
    get("/streams/nochannel/seg.ts?session=x");   // not a channel: not counted
    Eventually.await(Duration.ofSeconds(5), "the viewers counted",
        () -> {
          try {
            return viewersInTheApi().equals(Map.of("uno", 3, "dos", 1));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Eventually.await(Duration.ofSeconds(8), "the viewer gauges",
        () -> rows("hlskit.channel.viewers").equals(Map.of("uno", 3.0, "dos", 1.0)));
    // two seconds without a request: nobody watches any more
    Eventually.await(Duration.ofSeconds(10), "the viewers gone",
        () -> rows("hlskit.channel.viewers").values().stream().allMatch(v -> v == 0));
    assertThat(viewersInTheApi()).isEqualTo(Map.of("uno", 0, "dos", 0));
  }

  @Test
  void aPlayerMovingBetweenChannelsOnOneConnectionIsCountedOnEach() throws Exception {
    // one client, one connection, no session: what tells the channels apart is the path alone
    get("/streams/uno/playlist.m3u8");
    get("/streams/dos/playlist.m3u8");
    get("/streams/uno/seg.ts");
    Eventually.await(Duration.ofSeconds(8), "one viewer on each channel",
        () -> rows("hlskit.channel.viewers").equals(Map.of("uno", 1.0, "dos", 1.0)));
  }

  @Test
  void clientsBehindATrustedProxyAreToldApartOnOneConnection() throws Exception {
    server.close();
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .trustedProxies(Set.of("127.0.0.1")).meterRegistry(registry)
        .viewerWindow(Duration.ofSeconds(2)).build().start();
    // one client (one pooled connection, as a proxy keeps), three players behind it
    for (String client : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3")) {
      get("/streams/uno/playlist.m3u8", "X-Forwarded-For", client);
      get("/streams/uno/seg.ts", "X-Forwarded-For", client);
    }
    Eventually.await(Duration.ofSeconds(8), "three viewers behind the proxy",
        () -> Double.valueOf(3).equals(rows("hlskit.channel.viewers").get("uno")));
  }

  @Test
  void chatSessionsAndMessagesAreCounted() throws Exception {
    ChatClient ana = new ChatClient(http, server.port()).connect("uno").join("ana");
    ana.next("history");
    ChatClient ben = new ChatClient(http, server.port()).connect("uno").join("ben");
    ben.next("history");
    Eventually.await(Duration.ofSeconds(8), "two sessions in uno",
        () -> Double.valueOf(2).equals(rows("hlskit.chat.sessions").get("uno")));
    assertThat(JSON.readTree(get("/api/channels/uno").body()).get("chatSessions").asInt())
        .isEqualTo(2);
    for (int i = 0; i < 7; i++) {
      ana.send("{\"type\":\"chat_message\",\"text\":\"hola " + i + "\"}");
    }
    Eventually.await(Duration.ofSeconds(5), "5 delivered, 2 refused", () ->
        registry.get("hlskit.chat.messages").tag("result", "delivered").counter().count() == 5
            && registry.get("hlskit.chat.messages").tag("result", "refused").counter().count()
            == 2);
    ben.ws.sendClose(1000, "bye").join();
    Eventually.await(Duration.ofSeconds(8), "one session left",
        () -> Double.valueOf(1).equals(rows("hlskit.chat.sessions").get("uno")));
    assertThat(requests("chat", "101")).isEqualTo(2);
  }

  @Test
  void healthHasLivenessAndReadiness() throws Exception {
    assertThat(get("/api/health/live").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> ready = get("/api/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("storage").asText()).isEqualTo("UP");
  }

  @Test
  void theAccessLogHasALinePerRequestInCombinedFormat() throws Exception {
    server.close();
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0).accessLog(true)
        .build().start();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      get("/streams/uno/seg.ts?session=q", "User-Agent", "test-agent/1.0", "Referer",
          "http://example.com/page");
      Eventually.await(Duration.ofSeconds(5), "the access log line",
          () -> captured.toString(StandardCharsets.UTF_8).contains("test-agent/1.0"));
    } finally {
      System.setErr(err);
    }
    String line = captured.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("test-agent/1.0")).findFirst().orElseThrow();
    assertThat(line).contains(HlsServer.ACCESS_LOGGER)
        .containsPattern("127\\.0\\.0\\.1 - - \\[[^]]+\\] \"GET /streams/uno/seg\\.ts\\?session=q"
            + " HTTP/1\\.1\" 200 18800 \"http://example\\.com/page\" \"test-agent/1\\.0\"");
  }

  @Test
  void withoutARegistryTheApiHasNoViewers() throws Exception {
    server.close();
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0).build().start();
    JsonNode first = JSON.readTree(get("/api/channels").body()).get(0);
    assertThat(first.has("viewers")).isFalse();
  }
}
