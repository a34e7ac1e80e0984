package io.hlskit.core.playlist;

import java.util.List;
import java.util.Objects;

/** Checks the tag lines that the lenient parser keeps and the writer writes back as they are. */
final class UnknownTags {
  private UnknownTags() {}

  static List<String> check(List<String> tags) {
    List<String> copy = List.copyOf(Objects.requireNonNull(tags, "unknownTags"));
    for (String tag : copy) {
      if (!tag.startsWith("#EXT") || tag.indexOf('\n') >= 0 || tag.indexOf('\r') >= 0
          || !tag.equals(tag.strip())) {
        throw new IllegalArgumentException("an unknown tag must be one line starting with #EXT,"
            + " without white space around it: '" + tag + "'");
      }
    }
    return copy;
  }
}
