package io.hlskit.core.playlist;

import io.hlskit.core.PlaylistParseException;
import java.util.Optional;

/** Reads the {@code <length>[@<offset>]} form of a byte range. */
final class ByteRanges {
  private ByteRanges() {}

  static ByteRange parse(String text, int line, String what) {
    int at = text.indexOf('@');
    try {
      long length = parseCount(at < 0 ? text : text.substring(0, at));
      Optional<Long> offset =
          at < 0 ? Optional.empty() : Optional.of(parseCount(text.substring(at + 1)));
      return new ByteRange(length, offset);
    } catch (IllegalArgumentException e) {
      throw new PlaylistParseException(line, what + " must be <length>[@<offset>] with a"
          + " positive length, found '" + text + "'");
    }
  }

  private static long parseCount(String s) {
    if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') {
      throw new NumberFormatException(s);
    }
    return Long.parseLong(s);
  }
}
