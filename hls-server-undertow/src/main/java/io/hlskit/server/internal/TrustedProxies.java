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

  private final List<Range> proxies;
  private final HttpHandler next;

  /**
   * @param proxies IP addresses ({@code 10.0.0.5}) or ranges in CIDR notation ({@code
   *     172.16.0.0/12}, {@code fd00::/8})
   * @throws IllegalArgumentException naming an entry that is neither
   */
  public TrustedProxies(Set<String> proxies, HttpHandler next) {
    this.proxies = proxies.stream().map(Range::parse).toList();
    this.next = next;
  }

  private boolean trusted(String address) {
    if (proxies.isEmpty() || !isAddress(address)) {
      return false;
    }
    byte[] a = bytes(address);
    return proxies.stream().anyMatch(r -> r.contains(a));
  }

  /** An address and how many of its leading bits must match. */
  private record Range(byte[] base, int bits) {
    static Range parse(String entry) {
      String s = entry.strip();
      int slash = s.indexOf('/');
      String address = slash < 0 ? s : s.substring(0, slash);
      if (!isAddress(address)) {
        throw new IllegalArgumentException("trusted proxy '" + entry + "' is not an IP"
            + " address or a CIDR range such as 172.16.0.0/12");
      }
      byte[] base = bytes(address);
      int bits = base.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > base.length * 8) {
          throw new IllegalArgumentException("trusted proxy '" + entry + "': the prefix"
              + " length must be 0 to " + base.length * 8);
        }
      }
      return new Range(base, bits);
    }

    boolean contains(byte[] a) {
      if (a.length != base.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (base[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** The bytes of an address literal (checked by {@link #isAddress}: no name is resolved). */
  private static byte[] bytes(String literal) {
    try {
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (proxies.isEmpty()) {
      next.handleRequest(exchange); // every client is its peer: nothing to decide per request
      return;
    }
    String peer = ExchangeAccess.address(exchange.getSourceAddress());
    String client = peer;
    if (trusted(peer)) {
      List<String> hops = exchange.getRequestHeaders().get(FORWARDED_FOR) == null ? List.of()
          : exchange.getRequestHeaders().get(FORWARDED_FOR).stream()
              .flatMap(v -> java.util.Arrays.stream(v.split(",")))
              .map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (int i = hops.size() - 1; i >= 0; i--) {
        String hop = hops.get(i);
        if (!trusted(hop)) {
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
    return s.length() <= 45 && (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || s.matches("[0-9a-fA-F:.]+") && s.contains(":"));
  }
}
