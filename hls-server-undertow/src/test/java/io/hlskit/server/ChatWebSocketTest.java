package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.chat.Presence;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat over real WebSockets on loopback, with the JDK's client. */
class ChatWebSocketTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InMemoryMediaStore store;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = new InMemoryMediaStore();
    try (ChannelDraft d = store.draft("canal1")) {
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    try (ChannelDraft d = store.draft("canal2")) {
      d.publish(ChannelMetadata.builder("canal2").build());
    }
    assertThat(store.channels().list()).hasSize(2);
    // every client here comes from one address, to one room: ChatFloodTest holds those limits
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .chatLimits(ChatLimits.DEFAULTS
            .withMessagesPerAddress(ChatLimits.Rate.of(1000, Duration.ofSeconds(1)))
            .withMessagesPerRoom(ChatLimits.Rate.of(1000, Duration.ofSeconds(1))))
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  /** A chat client of this test's server. */
  final class Client extends ChatClient {
    Client() {
      super(http, server.port());
    }

    @Override
    Client connect(String channel) {
      super.connect(channel);
      return this;
    }

    @Override
    Client join(String name) throws Exception {
      super.join(name);
      return this;
    }
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndTheRoomKeepsItsPace() throws Exception {
    InMemoryChatBroker broker = new InMemoryChatBroker();
    server.close();
    server = HlsServer.builder().mediaStore(store).chatBroker(broker).host("127.0.0.1").port(0)
        .build().start();
    Client fast = new Client().connect("canal1").join("fast");
    fast.next("history");
    try (Socket slow = new Socket()) {
      // a reader that joins and then never reads again, with as little buffer as it can ask for
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
      OutputStream out = slow.getOutputStream();
      out.write(("GET /ws/chat?channel=canal1 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: c2xvdy1jb25zdW1lcg==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(RawFrames.text("{\"type\":\"join\",\"username\":\"slow\"}"));
      out.flush();
      ChatSession flood = broker.join("canal1", "flood", new ChatListener() {
        @Override
        public void onMessage(ChatMessage message) {}

        @Override
        public void onPresence(Presence presence) {}
      });
      Eventually.await(Duration.ofSeconds(5), "three in the room",
          () -> broker.presence("canal1").watching() == 3);

      // 400-character messages at 4,000 a second (far above what rate-limited senders make)
      // until the reader that stopped is dropped: megabytes more than socket buffers hold
      String text = "x".repeat(394);
      int sent = 0;
      long start = System.nanoTime();
      while (broker.presence("canal1").watching() == 3) {
        assertThat(System.nanoTime() - start).as("dropped within 60 s")
            .isLessThan(Duration.ofSeconds(60).toNanos());
        flood.send(text + String.format("%06d", sent++));
        if (sent % 40 == 0) {
          Thread.sleep(10);
        }
      }
      assertThat(sent).as("messages sent before the drop").isGreaterThan(1000);
      for (int i = 0; i < sent; i++) {
        JsonNode m = fast.next("chat_message");
        assertThat(m.get("text").asText()).as("in order").endsWith(String.format("%06d", i));
      }
      assertThat(broker.presence("canal1").watching()).as("the reader that kept up stays")
          .isEqualTo(2);
      // what it was sent before the drop is still readable, then the connection ends
      slow.setSoTimeout(10_000);
      InputStream in = slow.getInputStream();
      byte[] sink = new byte[65536];
      long read = 0;
      int n;
      while ((n = in.read(sink)) >= 0) {
        read += n;
      }
      assertThat(read).as("bytes the slow client got before its end")
          .isLessThan((long) sent * 400);
      flood.close();
    } finally {
      server.close();
      broker.close();
    }
  }

  @Test
  void twoClientsChatAndSeeTheCounts() throws Exception {
    Client ana = new Client().connect("canal1").join("ana");
    assertThat(ana.next("history").get("messages")).isEmpty();
    JsonNode count = ana.next("user_count");
    assertThat(count.get("online").asLong()).isEqualTo(1);
    assertThat(count.get("watching").asLong()).isEqualTo(1);

    Client ben = new Client().connect("canal1").join("  ben  ");
    ben.next("history");
    JsonNode anaSeesBen;
    do {
      anaSeesBen = ana.next("user_count");
    } while (anaSeesBen.get("watching").asLong() != 2);

    ben.send("{\"type\":\"chat_message\",\"text\":\"<img src=x onerror=alert(1)>\"}");
    JsonNode m = ana.next("chat_message");
    assertThat(m.get("username").asText()).isEqualTo("ben");
    assertThat(m.get("text").asText()).isEqualTo("<img src=x onerror=alert(1)>");
    assertThat(m.get("id").asText()).isNotBlank();
    assertThat(m.get("ts").asLong()).isPositive();
    assertThat(ben.next("chat_message").get("id")).isEqualTo(m.get("id"));

    Client late = new Client().connect("canal1").join("cai");
    assertThat(late.next("history").get("messages")).singleElement()
        .satisfies(h -> assertThat(h.get("text").asText()).startsWith("<img"));

    Client elsewhere = new Client().connect("canal2").join("dan");
    JsonNode other = elsewhere.next("user_count");
    assertThat(other.get("online").asLong()).isEqualTo(4);
    assertThat(other.get("watching").asLong()).isEqualTo(1);

    ben.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    JsonNode after;
    do {
      after = ana.next("user_count");
    } while (after.get("watching").asLong() != 2);
    assertThat(after.get("online").asLong()).isEqualTo(3);
  }

  @Test
  void historyComesFirstAndManyClientsJoinAndTalkAtOnce() throws Exception {
    int n = 12;
    List<Client> clients = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new Client().connect("canal1"));
    }
    // everyone joins and talks at once: joins and deliveries cross in the broker
    clients.parallelStream().forEach(c -> {
      try {
        c.join("user" + clients.indexOf(c));
        c.send("{\"type\":\"chat_message\",\"text\":\"hola\"}");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (Client c : clients) {
      JsonNode first = c.frames.poll(10, TimeUnit.SECONDS);
      assertThat(first).as("the first frame after join").isNotNull();
      assertThat(first.get("type").asText()).isEqualTo("history");
    }
    Eventually.await(Duration.ofSeconds(10), "all messages in history",
        () -> server.chatBroker().history("canal1").size() == n);
    Client last = new Client().connect("canal1").join("late");
    assertThat(last.next("history").get("messages")).hasSize(n);
    assertThat(last.next("user_count").get("watching").asLong()).isEqualTo(n + 1);
  }

  @Test
  void badFramesGetErrorFramesAndTheConnectionStays() throws Exception {
    Client c = new Client().connect("canal1");

    c.send("{not json");
    assertThat(c.next("error").get("code").asText()).isEqualTo("malformed_json");
    c.send("{\"type\":\"chat_message\",\"text\":\"hola\"}");
    assertThat(c.next("error").get("code").asText()).isEqualTo("not_joined");
    c.join("x".repeat(33));
    assertThat(c.next("error").get("code").asText()).isEqualTo("bad_username");
    c.join("   ");
    assertThat(c.next("error").get("code").asText()).isEqualTo("bad_username");
    c.send("{\"type\":\"dance\"}");
    assertThat(c.next("error").get("code").asText()).isEqualTo("unknown_type");
    c.send("[1,2]");
    assertThat(c.next("error").get("code").asText()).isEqualTo("bad_frame");

    c.join("ana");
    c.next("history");
    c.send("{\"type\":\"chat_message\",\"text\":\"" + "a".repeat(501) + "\"}");
    assertThat(c.next("error").get("code").asText()).isEqualTo("bad_text");
    c.send("{\"type\":\"chat_message\",\"text\":\"still here\"}");
    assertThat(c.next("chat_message").get("text").asText()).isEqualTo("still here");
  }

  @Test
  void theRateLimitAnswersWithAnErrorFrame() throws Exception {
    Client c = new Client().connect("canal1").join("ana");
    c.next("history");
    for (int i = 0; i < 6; i++) {
      c.send("{\"type\":\"chat_message\",\"text\":\"m" + i + "\"}");
    }

    JsonNode error = c.next("error");
    assertThat(error.get("code").asText()).isEqualTo("rate_limited");
    assertThat(error.get("reason").asText()).contains("at most 5 messages");
    // the refusal is said at once; the five taken are still being sent to the room
    Eventually.await(Duration.ofSeconds(5), "the five taken in the history",
        () -> server.chatBroker().history("canal1").size() == 5);
    Thread.sleep(200);
    assertThat(server.chatBroker().history("canal1")).hasSize(5);
  }

  @Test
  void oversizedFramesCloseTheConnection() throws Exception {
    Client c = new Client().connect("canal1").join("ana");
    c.next("history");

    c.send("{\"type\":\"chat_message\",\"text\":\"" + "a".repeat(5000) + "\"}");

    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    assertThat(server.chatBroker().history("canal1")).isEmpty();
  }

  @Test
  void unknownChannelsAreRefused() throws Exception {
    Client c = new Client().connect("nope");

    assertThat(c.next("error").get("code").asText()).isEqualTo("unknown_channel");
    assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void foreignOriginsCannotOpenTheChat() {
    assertThatThrownBy(() -> http.newWebSocketBuilder().header("Origin", "https://evil.example")
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat?channel=canal1"),
            new Client()).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse()
            .statusCode()).isEqualTo(403));
    Client same = new Client();
    same.ws = http.newWebSocketBuilder().header("Origin", "http://127.0.0.1:" + server.port())
        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat?channel=canal1"),
            same).join();
    assertThat(same.ws.isOutputClosed()).isFalse();
    List.of(same).forEach(x -> x.ws.abort());
  }
}
