package io.hlskit.server.internal;

import io.undertow.predicate.Predicate;
import io.undertow.predicate.Predicates;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.encoding.ContentEncodingRepository;
import io.undertow.server.handlers.encoding.EncodingHandler;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.util.Locale;

/** Gzip for the server's text answers, with the ETag and Vary handling it needs. */
public final class Gzip {
  private Gzip() {}

  /**
   * Gzip for text (playlists, JSON) when the client accepts it: a 1,800-segment playlist shrinks
   * to about a tenth. Never for ranges, whose offsets are of the plain bytes. The two forms are
   * two representations: {@code Vary: Accept-Encoding}, and the gzipped one's ETag gets {@code
   * -gz} (taken off again when a client revalidates with it, so it still earns a 304).
   *
   * @param which the requests whose answers may be gzipped, known from the request alone
   * @param text asked when the answer starts: whether it is worth gzipping (by its type)
   */
  public static HttpHandler wrap(HttpHandler next, Predicate which, Predicate text) {
    Predicate noRange = exchange -> !exchange.getRequestHeaders().contains(Headers.RANGE);
    HttpHandler encoding = new EncodingHandler(next, new ContentEncodingRepository()
        .addEncodingHandler("gzip", new GzipEncodingProvider(), 50,
            Predicates.and(which, text, noRange)));
    return exchange -> {
      if (which.resolve(exchange)) {
        exchange.getResponseHeaders().add(Headers.VARY, "Accept-Encoding");
        HeaderMap in = exchange.getRequestHeaders();
        String inm = in.getFirst(Headers.IF_NONE_MATCH);
        if (inm != null && inm.contains(GZIP_ETAG + "\"")) {
          in.put(Headers.IF_NONE_MATCH, inm.replace(GZIP_ETAG + "\"", "\""));
        }
        exchange.addResponseCommitListener(ex -> {
          HeaderMap out = ex.getResponseHeaders();
          String etag = out.getFirst(Headers.ETAG);
          if (etag != null && etag.endsWith("\"")
              && "gzip".equals(out.getFirst(Headers.CONTENT_ENCODING))) {
            out.put(Headers.ETAG, etag.substring(0, etag.length() - 1) + GZIP_ETAG + "\"");
          }
        });
      }
      encoding.handleRequest(exchange);
    };
  }

  /** Whether the response is text worth compressing, by its Content-Type (asked when it starts). */
  public static boolean textResponse(HttpServerExchange exchange) {
    String type = exchange.getResponseHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String t = type.toLowerCase(Locale.ROOT);
    return t.startsWith("text/") || t.startsWith("application/json")
        || t.startsWith("application/javascript") || t.startsWith("image/svg+xml")
        || t.startsWith("application/vnd.apple.mpegurl") || t.startsWith("application/xml");
  }

  /** What the ETag of a gzipped representation carries at its end. */
  private static final String GZIP_ETAG = "-gz";

}
