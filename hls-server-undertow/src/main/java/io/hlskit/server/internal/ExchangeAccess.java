package io.hlskit.server.internal;

import io.hlskit.core.access.AccessRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Undertow's requests as the access policy sees them. */
public final class ExchangeAccess {
  private ExchangeAccess() {}

  /** An HTTP request. */
  public static AccessRequest of(HttpServerExchange exchange) {
    return new AccessRequest() {
      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
      }

      @Override
      public Optional<String> queryParameter(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty()
            : Optional.of(values.getFirst());
      }

      @Override
      public String path() {
        return exchange.getRequestPath();
      }

      @Override
      public String remoteAddress() {
        return address(exchange.getSourceAddress());
      }
    };
  }

  /** The HTTP request that opened the WebSocket {@code channel}. */
  public static AccessRequest of(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    return new AccessRequest() {
      @Override
      public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeader(name));
      }

      @Override
      public Optional<String> queryParameter(String name) {
        List<String> values = exchange.getRequestParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty()
            : Optional.of(values.get(0));
      }

      @Override
      public String path() {
        String uri = exchange.getRequestURI();
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
      }

      @Override
      public String remoteAddress() {
        // behind a trusted proxy, the address it names: decided before the upgrade
        String client = exchange.getAttachment(TrustedProxies.CLIENT);
        return client != null ? client : address(channel.getSourceAddress());
      }
    };
  }

  /** A socket address as the policy sees it: the IP address literal. */
  static String address(SocketAddress a) {
    if (a instanceof InetSocketAddress inet) {
      return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
    }
    return a == null ? "" : a.toString();
  }
}
