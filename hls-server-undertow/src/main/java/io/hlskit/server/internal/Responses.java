package io.hlskit.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.access.AccessDecision;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers and errors in the one shape the API contract gives them. */
public final class Responses {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  /** Sends {@code body} as JSON with {@code status}. */
  public static void json(HttpServerExchange exchange, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer as JSON", e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    exchange.getResponseSender().send(text);
  }

  /**
   * Whether the request's {@code If-None-Match} names {@code etag} (quoted) or {@code *}; weak
   * tags compare by their value, as RFC 9110 asks of GET.
   */
  public static boolean matchesIfNoneMatch(HttpServerExchange exchange, String etag) {
    String inm = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
    if (inm == null) {
      return false;
    }
    for (String candidate : inm.split(",")) {
      String c = candidate.strip();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Answers a refusal of the access policy: 401 with a {@code WWW-Authenticate} challenge for
   * {@code UNAUTHENTICATED}, 403 for {@code FORBIDDEN}. Returns whether it refused.
   */
  public static boolean refused(HttpServerExchange exchange, AccessDecision decision) {
    switch (decision.outcome()) {
      case ALLOWED:
        return false;
      case UNAUTHENTICATED:
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"hlskit\"");
        error(exchange, 401, "unauthorized", decision.reason());
        return true;
      default:
        error(exchange, 403, "forbidden", decision.reason());
        return true;
    }
  }

  /**
   * Answers 200 with {@code body} (its length set), or only the head for a {@code HEAD}
   * request; the caller has set the other headers.
   */
  public static void bytes(HttpServerExchange exchange, byte[] body, boolean head) {
    exchange.setStatusCode(200);
    exchange.setResponseContentLength(body.length);
    if (head) {
      exchange.endExchange();
    } else {
      exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
  }

  /** Sends {@code {"error": code, "message": message}} with {@code status}. */
  public static void error(HttpServerExchange exchange, int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    if (exchange.isResponseStarted()) {
      exchange.endExchange();
      return;
    }
    // an error is not the representation: drop its validators, keep Allow and Content-Range
    exchange.getResponseHeaders().remove(Headers.ETAG);
    exchange.getResponseHeaders().remove(Headers.LAST_MODIFIED);
    exchange.getResponseHeaders().remove(Headers.ACCEPT_RANGES);
    exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
    json(exchange, status, body);
  }
}
