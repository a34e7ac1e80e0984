package io.hlskit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A WebSocket listener for the chat drivers: puts text frames back together, reads them as
 * JSON and hands each to {@link #onFrame} with the time it arrived.
 */
abstract class JsonFrameListener implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final StringBuilder partial = new StringBuilder();

  /** One whole frame; {@code receivedNanos} is {@link System#nanoTime} at its arrival. */
  abstract void onFrame(JsonNode frame, String text, long receivedNanos);

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      long now = System.nanoTime();
      try {
        onFrame(JSON.readTree(text), text, now);
      } catch (Exception e) {
        throw new IllegalStateException("a frame that is not JSON: " + text, e);
      }
    }
    webSocket.request(1);
    return null;
  }
}
