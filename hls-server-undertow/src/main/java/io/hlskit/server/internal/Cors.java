package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.List;
import java.util.Locale;

/**
 * Cross-origin access to streams and the API for pages served elsewhere (a player on another
 * site, a CDN-hosted page): origins on the allow-list, or every origin when it holds {@code *},
 * get {@code Access-Control-Allow-Origin} with {@code Content-Length}, {@code Content-Range} and
 * {@code ETag} exposed (hls.js reads them), and their preflight requests an answer. With an empty
 * list, the default, nothing is added: same-origin pages need nothing.
 */
public final class Cors implements HttpHandler {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString EXPOSE_HEADERS =
      new HttpString("Access-Control-Expose-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
  private static final HttpString REQUEST_METHOD =
      new HttpString("Access-Control-Request-Method");

  private final List<String> allowed;
  private final boolean any;
  private final String methods;
  private final HttpHandler next;

  /**
   * @param allowed origins such as {@code https://tv.example.com}, or {@code *}
   * @param methods what the wrapped handler answers, for preflights ({@code GET, HEAD})
   */
  /**
   * {@code next} with CORS for {@code allowed} origins; {@code next} itself when none is allowed,
   * so that the default adds no call to every request (each level of handlers is one more for
   * the JIT to inline).
   */
  public static HttpHandler wrap(List<String> allowed, String methods, HttpHandler next) {
    return allowed.isEmpty() ? next : new Cors(allowed, methods, next);
  }

  public Cors(List<String> allowed, String methods, HttpHandler next) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.any = this.allowed.contains("*");
    this.methods = methods;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (allowed.isEmpty()) {
      next.handleRequest(exchange);
      return;
    }
    HeaderMap in = exchange.getRequestHeaders();
    HeaderMap out = exchange.getResponseHeaders();
    out.add(Headers.VARY, "Origin");
    String origin = in.getFirst(Headers.ORIGIN);
    boolean permitted = origin != null && (any || allowed.contains(origin.toLowerCase(Locale.ROOT)));
    boolean preflight = exchange.getRequestMethod().equals(Methods.OPTIONS)
        && in.contains(REQUEST_METHOD);
    if (permitted) {
      out.put(ALLOW_ORIGIN, origin);
      out.put(EXPOSE_HEADERS, "Content-Length, Content-Range, ETag, Location");
      if (preflight) {
        out.put(ALLOW_METHODS, methods);
        out.put(ALLOW_HEADERS, "Range, If-None-Match, If-Modified-Since, Authorization,"
            + " Content-Type");
        out.put(MAX_AGE, "600");
        exchange.setStatusCode(204);
        exchange.endExchange();
        return;
      }
    } else if (preflight) {
      Responses.error(exchange, 403, "origin_not_allowed", "pages from " + origin
          + " may not use this server; add the origin to the server's allowed origins");
      return;
    }
    next.handleRequest(exchange);
  }
}
