package io.hlskit.server.internal;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * A request's body as a JSON object, for the API's routes that take one: read up to a limit
 * (413 beyond it) and parsed (400 with an example when it is not a JSON object); on a worker
 * thread.
 */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * The body as a JSON object, or empty once the answer (413 or 400) has been sent.
   *
   * @param what what the body is, for the 413 ("a linear channel's JSON")
   * @param example a body that would be taken, for the 400
   */
  static Optional<Map<?, ?>> read(HttpServerExchange exchange, int maxBytes, String what,
      String example) throws IOException {
    exchange.startBlocking();
    byte[] bytes;
    try (InputStream in = exchange.getInputStream()) {
      bytes = in.readNBytes(maxBytes + 1);
    }
    if (bytes.length > maxBytes) {
      Responses.error(exchange, 413, "too_large", what + " is at most " + maxBytes + " bytes");
      return Optional.empty();
    }
    Object parsed;
    try {
      parsed = Responses.JSON.readValue(bytes, Object.class);
    } catch (IOException e) {
      parsed = null;
    }
    if (!(parsed instanceof Map)) {
      Responses.error(exchange, 400, "bad_request", "the body is a JSON object such as "
          + example);
      return Optional.empty();
    }
    return Optional.of((Map<?, ?>) parsed);
  }
}
