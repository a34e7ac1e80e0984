package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Refuses cross-site WebSocket handshakes: the {@code Origin} must be on the allow-list, or,
 * with no list configured, be this server itself (same host and port as {@code Host}). Clients
 * that send no Origin (not browsers) pass.
 */
public final class OriginCheck implements HttpHandler {
  private final List<String> allowed;
  private final HttpHandler next;

  public OriginCheck(List<String> allowed, HttpHandler next) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin == null || permitted(origin, exchange.getRequestHeaders().getFirst(Headers.HOST))) {
      next.handleRequest(exchange);
      return;
    }
    Responses.error(exchange, 403, "origin_not_allowed", "pages from " + origin
        + " may not open the chat; add the origin to the server's allowed origins");
  }

  private boolean permitted(String origin, String host) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (!allowed.isEmpty()) {
      return allowed.contains(o) || allowed.contains("*");
    }
    try {
      URI uri = URI.create(o);
      String authority = uri.getAuthority();
      return authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
