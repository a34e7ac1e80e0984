package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting messages, slow mode and mutes through the API, as clients of the chat see them. */
class ChatModerationTest {
  private static final String TOKEN = "moderation-test-token-0123456789";
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
    server = HlsServer.builder().mediaStore(store).adminToken(TOKEN).host("127.0.0.1").port(0)
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private HttpResponse<String> api(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/api/channels/canal1/chat" + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private ChatClient troll() throws Exception {
    ChatClient c = new ChatClient(http, server.port()).connect("canal1");
    c.join("Troll");
    c.next("history");
    return c;
  }

  private static void say(ChatClient c, String text) {
    c.send("{\"type\":\"chat_message\",\"text\":\"" + text + "\"}");
  }

  @Test
  void onlyModeratorsSeeAndChangeTheRules() throws Exception {
    assertThat(api("GET", "", null, null).statusCode()).isEqualTo(401);
    assertThat(api("GET", "", null, "wrong").statusCode()).isEqualTo(401);
    assertThat(api("PUT", "/slow-mode", "{\"seconds\":5}", null).statusCode()).isEqualTo(401);
    assertThat(api("POST", "/mutes", "{\"name\":\"x\",\"seconds\":5}", null).statusCode())
        .isEqualTo(401);
    assertThat(api("DELETE", "/messages/1", null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> nowhere = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/api/channels/nope/chat"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(nowhere.statusCode()).isEqualTo(404);
  }

  @Test
  void aDeletedMessageGoesFromEveryClientAndTheHistory() throws Exception {
    ChatClient troll = troll();
    ChatClient other = new ChatClient(http, server.port()).connect("canal1");
    other.join("ana");
    other.next("history");
    say(troll, "spam");
    String id = other.next("chat_message").get("id").asText();

    JsonNode chat = JSON.readTree(api("GET", "", null, TOKEN).body());
    assertThat(chat.get("messages").get(0).get("text").asText()).isEqualTo("spam");
    assertThat(api("DELETE", "/messages/" + id, null, TOKEN).statusCode()).isEqualTo(204);

    assertThat(other.next("message_deleted").get("id").asText()).isEqualTo(id);
    assertThat(troll.next("message_deleted").get("id").asText()).isEqualTo(id);
    assertThat(server.chatBroker().history("canal1")).isEmpty();
  }

  @Test
  void slowModeAndMutesHoldBackMessages() throws Exception {
    ChatClient troll = troll();
    HttpResponse<String> slow = api("PUT", "/slow-mode", "{\"seconds\":30}", TOKEN);
    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(slow.body()).at("/rules/slowModeSeconds").asLong()).isEqualTo(30);
    say(troll, "one");
    troll.next("chat_message");
    say(troll, "two");
    assertThat(troll.next("error").get("code").asText()).isEqualTo("slow_mode");

    assertThat(api("PUT", "/slow-mode", "{\"seconds\":0}", TOKEN).statusCode()).isEqualTo(200);
    HttpResponse<String> mute = api("POST", "/mutes", "{\"name\":\"troll\",\"seconds\":600}",
        TOKEN);
    assertThat(mute.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(mute.body()).at("/rules/mutedNames").has("troll")).isTrue();
    say(troll, "three");
    JsonNode muted = troll.next("error");
    assertThat(muted.get("code").asText()).isEqualTo("muted");
    assertThat(server.chatBroker().history("canal1")).extracting(m -> m.text())
        .containsExactly("one");

    assertThat(api("POST", "/mutes", "{\"name\":\"troll\",\"seconds\":0}", TOKEN).statusCode())
        .isEqualTo(200);
    say(troll, "four");
    assertThat(troll.next("chat_message").get("text").asText()).isEqualTo("four");
  }

  @Test
  void badBodiesAreRefusedWithTheReason() throws Exception {
    for (String body : new String[] {"not json", "[1]", "{\"seconds\":-1}",
        "{\"seconds\":999999}", "{\"seconds\":\"ten\"}", "x".repeat(5000)}) {
      HttpResponse<String> r = api("PUT", "/slow-mode", body, TOKEN);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("bad_request");
    }
    assertThat(api("POST", "/mutes", "{\"seconds\":60}", TOKEN).statusCode())
        .as("neither name nor address").isEqualTo(400);
    assertThat(api("POST", "/mutes", "{\"name\":\"a\",\"address\":\"1.2.3.4\",\"seconds\":60}",
        TOKEN).statusCode()).as("both").isEqualTo(400);
  }
}
