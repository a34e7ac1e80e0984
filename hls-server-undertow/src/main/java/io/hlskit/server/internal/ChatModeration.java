package io.hlskit.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatRules;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moderation of a channel's chat, for those the access policy lets moderate ({@link
 * AccessPolicy#mayModerate}): below {@code /channels/{id}/chat}, read the messages and the rules
 * ({@code GET}), delete a message ({@code DELETE /messages/{messageId}}), set slow mode ({@code
 * PUT /slow-mode} with {@code {"seconds":N}}), mute a name or an address for a time ({@code POST
 * /mutes} with {@code {"name":"x","seconds":N}} or {@code {"address":"203.0.113.9",...}}; 0
 * seconds lifts it). The rules live in the broker, so every instance enforces them.
 */
final class ChatModeration {
  private static final Logger LOG = LoggerFactory.getLogger(ChatModeration.class);
  private static final int MAX_BODY = 4096;

  private final ChannelCatalog catalog;
  private final ChatBroker chat;
  private final AccessPolicy access;

  ChatModeration(ChannelCatalog catalog, ChatBroker chat, AccessPolicy access) {
    this.catalog = catalog;
    this.chat = chat;
    this.access = access;
  }

  /** Adds the routes to {@code r}, each running {@code blocking}, as broker calls may wait. */
  void route(RoutingHandler r, Function<Blocking, HttpHandler> blocking) {
    r.get("/channels/{id}/chat", blocking.apply(this::read));
    r.delete("/channels/{id}/chat/messages/{messageId}", blocking.apply(this::deleteMessage));
    r.put("/channels/{id}/chat/slow-mode", blocking.apply(this::slowMode));
    r.post("/channels/{id}/chat/mutes", blocking.apply(this::mute));
  }

  /** A route's work, which may block. */
  interface Blocking {
    void handle(HttpServerExchange exchange) throws IOException;
  }

  /** The channel, when it exists and the caller may moderate it; else answered already. */
  private Optional<ChannelMetadata> moderated(HttpServerExchange exchange) {
    String id = ApiHandler.pathParam(exchange, "id");
    Optional<ChannelMetadata> channel = StorageKeys.isValidChannelId(id) ? catalog.get(id)
        : Optional.empty();
    if (channel.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no channel " + ApiHandler.abbreviate(id));
      return Optional.empty();
    }
    if (Responses.refused(exchange, access.mayModerate(ExchangeAccess.of(exchange),
        channel.get()))) {
      return Optional.empty();
    }
    if (chat == null) {
      Responses.error(exchange, 503, "chat_unavailable", "this server has no chat");
      return Optional.empty();
    }
    return channel;
  }

  private void read(HttpServerExchange exchange) {
    Optional<ChannelMetadata> channel = moderated(exchange);
    if (channel.isEmpty()) {
      return;
    }
    String room = channel.get().id();
    try {
      List<Map<String, Object>> messages = chat.history(room).stream().map(ChatModeration::message)
          .toList();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("messages", messages);
      body.put("rules", rules(chat.rules(room)));
      Responses.json(exchange, 200, body);
    } catch (HlsException e) {
      unavailable(exchange, e);
    }
  }

  private void deleteMessage(HttpServerExchange exchange) {
    Optional<ChannelMetadata> channel = moderated(exchange);
    if (channel.isEmpty()) {
      return;
    }
    try {
      chat.deleteMessage(channel.get().id(), ApiHandler.pathParam(exchange, "messageId"));
      exchange.setStatusCode(204);
      exchange.endExchange();
    } catch (HlsException e) {
      unavailable(exchange, e);
    }
  }

  private void slowMode(HttpServerExchange exchange) throws IOException {
    change(exchange, (body, seconds) -> Optional.of(rules -> rules.withSlowMode(seconds)));
  }

  private void mute(HttpServerExchange exchange) throws IOException {
    change(exchange, (body, seconds) -> {
      String name = body.path("name").asText("").strip();
      String address = body.path("address").asText("").strip();
      if (name.isEmpty() == address.isEmpty() || name.length() > 64 || address.length() > 64) {
        Responses.error(exchange, 400, "bad_request", "give a \"name\" or an \"address\" (one"
            + " of them) and \"seconds\"");
        return Optional.empty();
      }
      Instant now = Instant.now();
      return Optional.of(rules -> name.isEmpty()
          ? rules.withMutedAddress(address, seconds, now)
          : rules.withMutedName(name, seconds, now));
    });
  }

  /** What a request body asks of the rules; empty when it was refused (and answered). */
  private interface RuleChange {
    Optional<UnaryOperator<ChatRules>> of(JsonNode body, Duration seconds);
  }

  /** Reads a {@code {"seconds":N,...}} body and applies the change it asks for. */
  private void change(HttpServerExchange exchange, RuleChange change) throws IOException {
    Optional<ChannelMetadata> channel = moderated(exchange);
    if (channel.isEmpty()) {
      return;
    }
    Optional<JsonNode> body = body(exchange);
    if (body.isEmpty()) {
      return;
    }
    Optional<Duration> seconds = seconds(exchange, body.get());
    if (seconds.isEmpty()) {
      return;
    }
    change.of(body.get(), seconds.get())
        .ifPresent(op -> update(exchange, channel.get().id(), op));
  }

  private void update(HttpServerExchange exchange, String room,
      UnaryOperator<ChatRules> change) {
    try {
      ChatRules rules = change.apply(chat.rules(room));
      chat.setRules(room, rules);
      LOG.info("chat rules of {} set by {}: {}", room,
          ExchangeAccess.of(exchange).remoteAddress(), rules);
      Responses.json(exchange, 200, Map.of("rules", rules(rules)));
    } catch (HlsException e) {
      unavailable(exchange, e);
    }
  }

  private static Optional<JsonNode> body(HttpServerExchange exchange) throws IOException {
    exchange.startBlocking();
    byte[] bytes;
    try (InputStream in = exchange.getInputStream()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    JsonNode node = null;
    if (bytes.length <= MAX_BODY) {
      try {
        node = Responses.JSON.readTree(bytes);
      } catch (IOException e) {
        node = null;
      }
    }
    if (node == null || !node.isObject()) {
      Responses.error(exchange, 400, "bad_request", "the body is a JSON object of at most "
          + MAX_BODY + " bytes, such as {\"seconds\":30}");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  private static Optional<Duration> seconds(HttpServerExchange exchange, JsonNode body) {
    JsonNode s = body.path("seconds");
    if (!s.canConvertToLong() || s.asLong() < 0 || s.asLong() > ChatRules.LONGEST.toSeconds()) {
      Responses.error(exchange, 400, "bad_request", "\"seconds\" is a whole number from 0 to "
          + ChatRules.LONGEST.toSeconds() + " (a day); 0 lifts the rule");
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(s.asLong()));
  }

  private static void unavailable(HttpServerExchange exchange, HlsException e) {
    LOG.warn("chat moderation on {} failed: {}", exchange.getRequestPath(), e.getMessage());
    Responses.error(exchange, 503, "chat_unavailable", "the chat cannot be reached now; try"
        + " again shortly");
  }

  private static Map<String, Object> message(ChatMessage m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", m.id());
    j.put("username", m.username());
    j.put("text", m.text());
    j.put("ts", m.timestamp().toEpochMilli());
    return j;
  }

  /** The rules as the API shows them; mutes that ended are left out. */
  static Map<String, Object> rules(ChatRules rules) {
    Instant now = Instant.now();
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("slowModeSeconds", rules.slowMode().toSeconds());
    Map<String, String> names = new LinkedHashMap<>();
    rules.mutedNames().forEach((n, until) -> {
      if (until.isAfter(now)) {
        names.put(n, until.toString());
      }
    });
    Map<String, String> addresses = new LinkedHashMap<>();
    rules.mutedAddresses().forEach((a, until) -> {
      if (until.isAfter(now)) {
        addresses.put(a, until.toString());
      }
    });
    j.put("mutedNames", names);
    j.put("mutedAddresses", addresses);
    return j;
  }

}
