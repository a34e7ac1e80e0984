package io.hlskit.server.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Carries a query token into every URI a playlist lists (child playlists, segments, keys, init
 * sections, renditions), so that a player given one URL with {@code ?token=} can play what it
 * leads to: players resolve relative URIs without the parent's query.
 */
final class PlaylistTokens {
  private static final String URI_ATTRIBUTE = "URI=\"";

  private PlaylistTokens() {}

  /** {@code playlist} with {@code name=value} added to each URI. */
  static String withToken(String playlist, String name, String value) {
    String param = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(playlist.length() + 64 * param.length());
    int start = 0;
    while (start < playlist.length()) {
      int end = playlist.indexOf('\n', start);
      int next = end < 0 ? playlist.length() : end + 1;
      String line = playlist.substring(start, end < 0 ? playlist.length() : end);
      boolean cr = line.endsWith("\r");
      if (cr) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.startsWith("#")) {
        out.append(tagWithToken(line, param));
      } else if (!line.isBlank()) {
        out.append(appendParam(line.strip(), param));
      } else {
        out.append(line);
      }
      if (cr) {
        out.append('\r');
      }
      if (end >= 0) {
        out.append('\n');
      }
      start = next;
    }
    return out.toString();
  }

  /** A tag with the parameter added to its {@code URI} attribute, when it has one. */
  private static String tagWithToken(String line, String param) {
    int at = line.indexOf(URI_ATTRIBUTE);
    // attribute names are upper case and preceded by ':' or ','
    while (at > 0 && line.charAt(at - 1) != ':' && line.charAt(at - 1) != ',') {
      at = line.indexOf(URI_ATTRIBUTE, at + 1);
    }
    if (at < 0) {
      return line;
    }
    int open = at + URI_ATTRIBUTE.length();
    int close = line.indexOf('"', open);
    if (close < 0) {
      return line;
    }
    return line.substring(0, open) + appendParam(line.substring(open, close), param)
        + line.substring(close);
  }

  private static String appendParam(String uri, String param) {
    if (uri.startsWith("data:")) {
      return uri;
    }
    int hash = uri.indexOf('#');
    String base = hash < 0 ? uri : uri.substring(0, hash);
    String fragment = hash < 0 ? "" : uri.substring(hash);
    return base + (base.indexOf('?') < 0 ? "?" : "&") + param + fragment;
  }
}
