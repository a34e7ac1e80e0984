package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost handler of the server's routes: marks every answer {@code nosniff}, turns a
 * handler's exception into a JSON 500, and, with a registry, times the request. One handler for
 * the three, with or without metrics, so that a registry does not make the chain a level deeper
 * (the JIT inlines a chain only so deep, and a playlist answer is a few microseconds).
 */
public final class RootHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RootHandler.class);

  private final HttpHandler next;
  private final HttpMetrics metrics;

  /** @param metrics where requests are recorded, or null for none */
  public RootHandler(HttpHandler next, HttpMetrics metrics) {
    this.next = next;
    this.metrics = metrics;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    // every answer is what its Content-Type says: browsers must not guess another
    exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
    long start = metrics == null ? 0 : System.nanoTime();
    try {
      next.handleRequest(exchange);
    } catch (Exception e) {
      LOG.error("request {} failed", exchange.getRequestPath(), e);
      Responses.error(exchange, 500, "internal_error", "the server failed; see its log");
    } finally {
      if (metrics != null) {
        metrics.returned(exchange, start);
      }
    }
  }
}
