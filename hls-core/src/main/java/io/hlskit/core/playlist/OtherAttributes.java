package io.hlskit.core.playlist;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks attributes that hlskit does not model but keeps, with their values as written. */
final class OtherAttributes {
  private static final Pattern NAME = Pattern.compile("[A-Z0-9-]+");

  private OtherAttributes() {}

  static Map<String, String> check(Map<String, String> attributes, Iterable<String> modelled) {
    Map<String, String> copy = Map.copyOf(Objects.requireNonNull(attributes, "otherAttributes"));
    for (Map.Entry<String, String> e : copy.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("attribute name must be [A-Z0-9-]+: " + e.getKey());
      }
      String v = e.getValue();
      boolean quoted = v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
          && v.indexOf('"', 1) == v.length() - 1;
      if (v.isEmpty() || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
          || (!quoted && (v.indexOf('"') >= 0 || v.indexOf(',') >= 0))) {
        throw new IllegalArgumentException("attribute " + e.getKey()
            + " must hold a quoted-string or a value without quotes and commas: " + v);
      }
    }
    for (String name : modelled) {
      if (copy.containsKey(name)) {
        throw new IllegalArgumentException(
            "attribute " + name + " is modelled; set it through its own field");
      }
    }
    return copy;
  }
}
