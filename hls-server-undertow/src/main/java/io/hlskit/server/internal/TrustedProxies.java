package io.hlskit.server.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/**
 * Takes the client's address from {@code X-Forwarded-For} when, and only when, the request comes
 * from one of the configured proxies: the address is then the rightmost one the header names that
 * is not itself a trusted proxy. Anyone else's header is ignored, so that a client cannot choose
 * the address its limits are counted under. The address is also attached to the exchange (for
 * the WebSocket, whose channel only knows the peer).
 */
public final class TrustedProxies implements HttpHandler {
  /** The client's address as decided here, for handlers that no longer see the exchange. */
  public static final AttachmentKey<String> CLIENT = AttachmentKey.create(String.class);

  private static final HttpString FORWARDED_FOR = HttpString.tryFromString("X-Forwarded-For");

  private final Set<String> proxies;
  private final HttpHandler next;

  public TrustedProxies(Set<String> proxies, HttpHandler next) {
    this.proxies = Set.copyOf(proxies);
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String peer = ExchangeAccess.address(exchange.getSourceAddress());
    String client = peer;
    if (proxies.contains(peer)) {
      List<String> hops = exchange.getRequestHeaders().get(FORWARDED_FOR) == null ? List.of()
          : exchange.getRequestHeaders().get(FORWARDED_FOR).stream()
              .flatMap(v -> java.util.Arrays.stream(v.split(",")))
              .map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (int i = hops.size() - 1; i >= 0; i--) {
        String hop = hops.get(i);
        if (!proxies.contains(hop)) {
          if (isAddress(hop)) {
            client = hop;
            exchange.setSourceAddress(InetSocketAddress.createUnresolved(hop, 0));
          }
          break;
        }
      }
    }
    exchange.putAttachment(CLIENT, client);
    next.handleRequest(exchange);
  }

  /** An IPv4 or IPv6 literal, never a name to resolve. */
  private static boolean isAddress(String s) {
    return s.length() <= 45 && (s.matches("[0-9.]+") || s.matches("[0-9a-fA-F:.]+")
        && s.contains(":"));
  }
}
