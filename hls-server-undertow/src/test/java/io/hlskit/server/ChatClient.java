package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A chat WebSocket client for tests: it queues every frame it receives, parsed. */
class ChatClient implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();

  final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  WebSocket ws;
  private final HttpClient http;
  private final int port;

  ChatClient(HttpClient http, int port) {
    this.http = http;
    this.port = port;
  }

  ChatClient connect(String channel) {
    return connect(channel, (String) null);
  }

  /** Connects as a proxy would, naming {@code forwardedFor} as the client (null: no header). */
  ChatClient connect(String channel, String forwardedFor) {
    return connect("channel=" + channel, forwardedFor == null ? Map.of()
        : Map.of("X-Forwarded-For", forwardedFor));
  }

  /** Connects to {@code /ws/chat?<query>} with these request headers. */
  ChatClient connect(String query, Map<String, String> headers) {
    WebSocket.Builder b = http.newWebSocketBuilder();
    headers.forEach(b::header);
    ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/chat?" + query), this).join();
    return this;
  }

  /** The frames of {@code type} that arrive within {@code millis}. */
  int count(String type, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    int n = 0;
    for (long left; (left = end - System.nanoTime()) > 0; ) {
      JsonNode f = frames.poll(left, TimeUnit.NANOSECONDS);
      if (f != null && f.get("type").asText().equals(type)) {
        n++;
      }
    }
    return n;
  }

  ChatClient join(String name) throws Exception {
    send("{\"type\":\"join\",\"username\":" + JSON.writeValueAsString(name) + "}");
    return this;
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  JsonNode next(String type) throws InterruptedException {
    while (true) {
      JsonNode f = frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).as("a " + type + " frame").isNotNull();
      if (f.get("type").asText().equals(type)) {
        return f;
      }
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        frames.add(JSON.readTree(partial.toString()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
