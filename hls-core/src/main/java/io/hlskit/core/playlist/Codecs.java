package io.hlskit.core.playlist;

import java.util.List;
import java.util.Objects;

/** Checks a {@code CODECS} list: RFC 6381 identifiers, joined with commas in one quoted-string. */
final class Codecs {
  private Codecs() {}

  static List<String> check(List<String> codecs) {
    List<String> copy = List.copyOf(Objects.requireNonNull(codecs, "codecs"));
    for (String c : copy) {
      if (c.isBlank() || !c.equals(c.strip()) || c.indexOf(',') >= 0 || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("codec must be an RFC 6381 identifier such as"
            + " avc1.64001f or mp4a.40.2: '" + c + "'");
      }
    }
    return copy;
  }
}
