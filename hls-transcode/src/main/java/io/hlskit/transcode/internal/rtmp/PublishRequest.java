package io.hlskit.transcode.internal.rtmp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A publisher's request as RTMP carries it: the application of its {@code connect} and the
 * stream name of its {@code publish}, {@code <channel>?key=<secret>} or {@code
 * <channel>?token=<jwt>}, split into the channel and the query.
 *
 * @param app the application, {@code live} in {@code rtmp://host:port/live}
 * @param channel the stream name before its query
 * @param query the stream name's query parameters, decoded (the first of each name)
 * @param remoteAddress the publisher's address, as logs show it
 */
public record PublishRequest(String app, String channel, Map<String, String> query,
    String remoteAddress) {

  public PublishRequest {
    query = Map.copyOf(query);
  }

  /** The request for stream name {@code streamName} (as sent in {@code publish}). */
  public static PublishRequest of(String app, String streamName, String remoteAddress) {
    String name = streamName;
    Map<String, String> query = new LinkedHashMap<>();
    int q = name.indexOf('?');
    if (q >= 0) {
      for (String part : name.substring(q + 1).split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String k = decode(eq < 0 ? part : part.substring(0, eq));
        String v = eq < 0 ? "" : decode(part.substring(eq + 1));
        query.putIfAbsent(k, v);
      }
      name = name.substring(0, q);
    }
    // the app may carry the query instead (OBS's server field "rtmp://host/live?key=..")
    int aq = app.indexOf('?');
    String cleanApp = app;
    if (aq >= 0) {
      PublishRequest fromApp = of("", "x" + app.substring(aq), remoteAddress);
      fromApp.query().forEach(query::putIfAbsent);
      cleanApp = app.substring(0, aq);
    }
    return new PublishRequest(cleanApp, name, query, remoteAddress);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** The stream key, when the request carries one. */
  public Optional<String> key() {
    return Optional.ofNullable(query.get("key")).filter(k -> !k.isEmpty());
  }

  /** The token, when the request carries one in place of the key. */
  public Optional<String> token() {
    return Optional.ofNullable(query.get("token")).filter(k -> !k.isEmpty());
  }
}
