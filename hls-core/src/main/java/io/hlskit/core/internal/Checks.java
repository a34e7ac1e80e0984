package io.hlskit.core.internal;

import java.util.Objects;

/** Argument checks shared by the models. Not part of the API. */
public final class Checks {
  private Checks() {}

  /** A URI line or URI attribute: not blank, no line breaks, not starting with '#'. */
  public static String uri(String uri, String what) {
    Objects.requireNonNull(uri, what);
    if (uri.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    if (uri.indexOf('\n') >= 0 || uri.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " must not contain a line break: " + uri);
    }
    if (uri.charAt(0) == '#') {
      throw new IllegalArgumentException(what + " must not start with '#' (it would read as a tag): " + uri);
    }
    if (!uri.equals(uri.strip())) {
      throw new IllegalArgumentException(what + " must not start or end with white space: '" + uri + "'");
    }
    return uri;
  }

  /** A value that will be written as an RFC 8216 quoted-string: no double quote, CR or LF. */
  public static String quotable(String value, String what) {
    Objects.requireNonNull(value, what);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\n' || c == '\r') {
        throw new IllegalArgumentException(
            what + " cannot hold a double quote or a line break in an HLS quoted-string: " + value);
      }
    }
    return value;
  }

  /** A value that will be written as an enumerated-string: no quote, comma or white space. */
  public static String enumerated(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == ',' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException(
            what + " must be an enumerated-string (no quote, comma or space): " + value);
      }
    }
    return value;
  }

  public static long notNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + value);
    }
    return value;
  }
}
