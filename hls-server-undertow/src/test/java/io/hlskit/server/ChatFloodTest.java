package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile chat clients against the default limits: join floods, too many connections, rooms
 * flooded from many connections, names made to deceive, a channel deleted under its chat.
 */
class ChatFloodTest {
  private InMemoryMediaStore store;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ChatClient> clients = new ArrayList<>();

  @BeforeEach
  void publish() {
    store = new InMemoryMediaStore();
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("seg_00000.ts", new byte[188 * 1000]);
      d.publish(ChannelMetadata.builder("canal1").build());
    }
  }

  private void start(HlsServer.Builder b) {
    server = b.mediaStore(store).host("127.0.0.1").port(0).build().start();
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> c.ws.abort());
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private ChatClient client() {
    ChatClient c = new ChatClient(http, server.port());
    clients.add(c);
    return c;
  }

  @Test
  void aJoinFloodReachesOthersAsAFewCountsASecond() throws Exception {
    start(HlsServer.builder());
    ChatClient victim = client().connect("canal1").join("victim");
    victim.next("history");
    victim.next("user_count");
    ChatClient attacker = client().connect("canal1");
    long started = System.nanoTime();
    for (int i = 0; i < 500; i++) {
      attacker.ws.sendText("{\"type\":\"join\",\"username\":\"x" + i + "\"}", true).join();
    }
    // meanwhile the server serves segments
    HttpResponse<byte[]> segment = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/streams/canal1/seg_00000.ts"))
        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(segment.statusCode()).isEqualTo(200);
    assertThat(segment.body()).hasSize(188 * 1000);

    int counts = victim.count("user_count", 5000);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(counts).as("user_count frames in %.1f s", seconds)
        .isLessThanOrEqualTo((int) Math.ceil(seconds) + 1);
    assertThat(victim.closed).as("the victim stays connected").isNotDone();
    int refused = attacker.count("error", 500);
    assertThat(refused).as("joins refused").isGreaterThan(400);
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
    start(HlsServer.builder().chatLimits(ChatLimits.DEFAULTS.withConnectionsPerAddress(3)));
    for (int i = 0; i < 3; i++) {
      client().connect("canal1").join("u" + i).next("history");
    }
    ChatClient fourth = client().connect("canal1");
    assertThat(fourth.next("error").get("code").asText()).isEqualTo("too_many_connections");
    assertThat(fourth.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);

    clients.get(0).ws.sendClose(1000, "bye").join();
    Eventually.await(Duration.ofSeconds(5), "a connection given back", () -> {
      ChatClient again = client().connect("canal1");
      try {
        return again.join("again").next("history") != null;
      } catch (Throwable e) {
        return false;
      }
    });
  }

  @Test
  void theProxysWordOnTheClientIsTakenOnlyFromTrustedProxies() throws Exception {
    start(HlsServer.builder().chatLimits(ChatLimits.DEFAULTS.withConnectionsPerAddress(1)));
    client().connect("canal1", "203.0.113.1").join("a").next("history");
    ChatClient spoofed = client().connect("canal1", "203.0.113.2");
    assertThat(spoofed.next("error").get("code").asText())
        .as("an untrusted peer's header is ignored: both are 127.0.0.1")
        .isEqualTo("too_many_connections");
    server.close();

    start(HlsServer.builder().chatLimits(ChatLimits.DEFAULTS.withConnectionsPerAddress(1))
        .trustedProxies(java.util.Set.of("127.0.0.1")));
    client().connect("canal1", "203.0.113.1").join("a").next("history");
    client().connect("canal1", "198.51.100.7, 203.0.113.2").join("b").next("history");
    ChatClient same = client().connect("canal1", "203.0.113.1");
    assertThat(same.next("error").get("code").asText()).isEqualTo("too_many_connections");
    server.close();

    start(HlsServer.builder().chatLimits(ChatLimits.DEFAULTS.withConnectionsPerAddress(1))
        .trustedProxies(java.util.Set.of("127.0.0.0/8")));
    client().connect("canal1", "203.0.113.1").join("a").next("history");
    client().connect("canal1", "203.0.113.2").join("b").next("history");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HlsServer.builder()
        .trustedProxies(java.util.Set.of("proxy.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
  }

  @Test
  void manyConnectionsCannotWipeARoomsHistory() throws Exception {
    start(HlsServer.builder().chatLimits(ChatLimits.DEFAULTS.withConnectionsPerAddress(100)
        .withMessagesPerAddress(ChatLimits.Rate.of(1000, Duration.ofSeconds(1)))));
    ChatClient keeper = client().connect("canal1").join("keeper");
    keeper.next("history");
    keeper.send("{\"type\":\"chat_message\",\"text\":\"remember me\"}");
    keeper.next("chat_message");
    List<ChatClient> flood = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ChatClient c = client().connect("canal1").join("f" + i);
      c.next("history");
      flood.add(c);
    }
    Thread.sleep(1100); // the keeper's message is outside the room's window now
    for (ChatClient c : flood) {
      for (int j = 0; j < 5; j++) {
        c.ws.sendText("{\"type\":\"chat_message\",\"text\":\"spam\"}", true).join();
      }
    }
    Thread.sleep(1500);
    List<String> history = server.chatBroker().history("canal1").stream()
        .map(m -> m.text()).toList();
    assertThat(history).as("the room took at most its rate of the 200").hasSizeLessThan(40)
        .contains("remember me");
    JsonNode busy = flood.get(flood.size() - 1).next("error");
    assertThat(busy.get("code").asText()).isEqualTo("room_busy");
  }

  @Test
  void namesThatDeceiveAreRefusedAndNamesAreOnePerRoom() throws Exception {
    start(HlsServer.builder());
    ChatClient c = client().connect("canal1");
    for (String name : List.of("ana\u202Eevil", "a\u200Bna", "e\u0334\u0334\u0334", "\uE000x")) {
      c.join(name);
      assertThat(c.next("error").get("code").asText()).as(name).isEqualTo("bad_username");
    }
    c.join("Admin");
    assertThat(c.next("error").get("code").asText()).isEqualTo("reserved_username");

    client().connect("canal1").join("Ana").next("history");
    c.join("ａｎａ"); // fullwidth: NFKC makes it "ana", one name with "Ana"
    assertThat(c.next("error").get("code").asText()).isEqualTo("username_taken");
    c.join("Ana2");
    assertThat(c.next("history")).isNotNull();
  }

  @Test
  void aDeletedChannelTakesItsChatAlong() throws Exception {
    start(HlsServer.builder());
    ChatClient c = client().connect("canal1").join("ana");
    c.next("history");
    c.send("{\"type\":\"chat_message\",\"text\":\"hola\"}");
    c.next("chat_message");

    store.deleteChannel("canal1");
    assertThat(c.next("channel_deleted").get("channel").asText()).isEqualTo("canal1");
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(server.chatBroker().history("canal1")).isEmpty();

    try (ChannelDraft d = store.draft("canal1")) {
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    Eventually.await(Duration.ofSeconds(5), "listed again",
        () -> store.channels().get("canal1").isPresent());
    ChatClient later = client().connect("canal1").join("ben");
    assertThat(later.next("history").get("messages")).as("a new channel, a new chat").isEmpty();
  }
}
