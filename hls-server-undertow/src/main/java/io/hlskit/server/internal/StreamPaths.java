package io.hlskit.server.internal;

import io.hlskit.core.StorageKeys;
import java.util.Optional;

/**
 * Turns a {@code /streams/...} request path into an object key, refusing every traversal trick:
 * encoded separators, dots and percent signs (double encoding), backslashes, control characters,
 * {@code .} and {@code ..} segments, and anything that is not {@code {channel}/{file}}.
 */
public final class StreamPaths {
  private StreamPaths() {}

  /**
   * The key for a request, or empty when the path must be refused.
   *
   * @param rawUri the request URI as sent, still percent-encoded
   * @param decodedRelativePath the path below {@code /streams}, as Undertow decoded it
   */
  public static Optional<String> key(String rawUri, String decodedRelativePath) {
    if (hasDangerousEncoding(rawUri)) {
      return Optional.empty();
    }
    String p = decodedRelativePath;
    if (p == null || p.length() < 2 || p.charAt(0) != '/') {
      return Optional.empty();
    }
    String key = p.substring(1);
    int slash = key.indexOf('/');
    if (slash <= 0 || !StorageKeys.isValidChannelId(key.substring(0, slash))
        || !StorageKeys.isValidKey(key) || key.indexOf('\uFFFD') >= 0
        || StorageKeys.isReserved(key)) { // no segment may start with '.'
      return Optional.empty();
    }
    return Optional.of(key);
  }

  /** Percent-encodings of '/', '\', '.', '%' or control characters, in any letter case. */
  static boolean hasDangerousEncoding(String raw) {
    if (raw == null) {
      return true;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' || c < 0x20 || c == 0x7f) {
        return true;
      }
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return true;
        }
        int value;
        try {
          value = Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        } catch (NumberFormatException e) {
          return true;
        }
        if (value == '/' || value == '\\' || value == '.' || value == '%' || value < 0x20
            || value == 0x7f || value >= 0xc0 && value <= 0xc1) {
          return true; // 0xc0, 0xc1 start overlong UTF-8 encodings of ASCII
        }
      }
    }
    return false;
  }
}
