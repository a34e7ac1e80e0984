package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The plain-HTTP port of a server that serves HTTPS: every request is answered 308 (method and
 * body kept) to the same host, path and query on the HTTPS port.
 */
public final class HttpsRedirect implements HttpHandler {
  private final int httpsPort;

  /** @param httpsPort the port the HTTPS listener is on, as clients reach it */
  public HttpsRedirect(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String host = exchange.getHostName(); // the Host header's name, without its port
    if (host == null || host.isEmpty() || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      Responses.error(exchange, 400, "bad_host", "this port answers with a redirect to HTTPS"
          + " and needs a Host header naming the server");
      return;
    }
    String query = exchange.getQueryString();
    String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort)
        + exchange.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
    exchange.setStatusCode(308);
    exchange.getResponseHeaders().put(Headers.LOCATION, location);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    exchange.endExchange();
  }
}
