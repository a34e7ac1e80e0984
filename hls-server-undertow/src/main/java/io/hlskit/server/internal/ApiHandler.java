package io.hlskit.server.internal;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.store.StorageKeys;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/health}, {@code /api/channels} and {@code /api/channels/{id}}. */
public final class ApiHandler implements HttpHandler {
  private final ChannelCatalog catalog;
  private final ChatBroker chat;
  private final String streamsPrefix;

  /**
   * @param streamsPrefix where streams are served, such as {@code /streams}, for the URL paths in
   *     channel objects
   */
  public ApiHandler(ChannelCatalog catalog, ChatBroker chat, String streamsPrefix) {
    this.catalog = catalog;
    this.chat = chat;
    this.streamsPrefix = streamsPrefix;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    if (!exchange.getRequestMethod().equals(Methods.GET)
        && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      Responses.error(exchange, 405, "method_not_allowed",
          exchange.getRequestMethod() + " is not supported on /api" + path);
      return;
    }
    if (path.equals("/health")) {
      health(exchange);
    } else if (path.equals("/channels") || path.equals("/channels/")) {
      List<Object> list = new ArrayList<>();
      for (ChannelMetadata m : catalog.channels()) {
        list.add(channel(m));
      }
      Responses.json(exchange, 200, list);
    } else if (path.startsWith("/channels/")) {
      String id = path.substring("/channels/".length());
      Optional<ChannelMetadata> m = StorageKeys.isValidChannelId(id) ? catalog.channel(id)
          : Optional.empty();
      if (m.isEmpty()) {
        Responses.error(exchange, 404, "not_found", "no channel " + abbreviate(id));
      } else {
        Responses.json(exchange, 200, channel(m.get()));
      }
    } else {
      Responses.error(exchange, 404, "not_found", "no API at /api" + abbreviate(path));
    }
  }

  private void health(HttpServerExchange exchange) {
    boolean chatUp = chat.isAvailable();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", chatUp ? "UP" : "DOWN");
    body.put("storage", "UP");
    body.put("chat", chatUp ? "UP" : "DOWN");
    body.put("channels", catalog.channels().size());
    Responses.json(exchange, chatUp ? 200 : 503, body);
  }

  /** A channel as the API shows it: URL paths instead of keys. */
  private Map<String, Object> channel(ChannelMetadata m) {
    String base = streamsPrefix + "/" + m.id() + "/";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", m.id());
    c.put("title", m.title());
    c.put("playlist", base + m.playlist());
    c.put("poster", m.poster().map(p -> base + p).orElse(null));
    c.put("durationSeconds", m.duration().toMillis() / 1000.0);
    List<Object> renditions = new ArrayList<>();
    for (RenditionInfo r : m.renditions()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("name", r.name());
      rm.put("width", r.resolution().map(x -> x.width()).orElse(null));
      rm.put("height", r.resolution().map(x -> x.height()).orElse(null));
      rm.put("bandwidth", r.bandwidth());
      rm.put("codecs", String.join(",", r.codecs()));
      renditions.add(rm);
    }
    c.put("renditions", renditions);
    c.put("created", m.created().toString());
    return c;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
