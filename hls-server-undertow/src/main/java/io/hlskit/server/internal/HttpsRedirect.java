package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;

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

  /**
   * Starts a plain-HTTP listener on {@code host:port} that redirects to {@code httpsPort}.
   *
   * @throws io.hlskit.core.HlsException when the port cannot be bound
   */
  public static Undertow listen(String host, int port, int httpsPort, Duration headerTimeout) {
    Undertow r = Undertow.builder().addHttpListener(port, host)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT,
            (int) Math.min(Integer.MAX_VALUE, headerTimeout.toMillis()))
        .setHandler(new HttpsRedirect(httpsPort)).build();
    try {
      r.start();
    } catch (RuntimeException e) {
      throw new HlsException("cannot listen on " + host + ":" + port
          + " for the redirect to HTTPS (" + e.getMessage() + "); choose another port", e);
    }
    return r;
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
