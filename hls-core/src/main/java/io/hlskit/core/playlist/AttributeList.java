package io.hlskit.core.playlist;

import io.hlskit.core.PlaylistParseException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An RFC 8216 attribute-list ({@code NAME=VALUE,NAME="quoted"}) as read from one tag, with typed
 * accessors that report errors with the tag's line number. Values keep their quotes until read.
 */
final class AttributeList {
  private final Map<String, String> raw;
  private final Set<String> read = new HashSet<>();
  private final String tag;
  private final int line;
  private final boolean strict;

  private AttributeList(Map<String, String> raw, String tag, int line, boolean strict) {
    this.raw = raw;
    this.tag = tag;
    this.line = line;
    this.strict = strict;
  }

  static AttributeList parse(String text, String tag, int line, boolean strict) {
    Map<String, String> raw = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (!strict) {
        while (i < n && text.charAt(i) == ' ') {
          i++;
        }
      }
      int nameStart = i;
      while (i < n && isNameChar(text.charAt(i))) {
        i++;
      }
      if (i == nameStart || i >= n || text.charAt(i) != '=') {
        throw new PlaylistParseException(line, tag + ": expected an attribute NAME= (upper-case"
            + " letters, digits and '-') at column " + (i + 1) + " of '" + text + "'");
      }
      String name = text.substring(nameStart, i);
      i++; // '='
      int valueStart = i;
      if (i < n && text.charAt(i) == '"') {
        int close = text.indexOf('"', i + 1);
        if (close < 0) {
          throw new PlaylistParseException(line, tag + ": attribute " + name
              + " opens a quoted-string that is never closed");
        }
        i = close + 1;
      } else {
        while (i < n && text.charAt(i) != ',') {
          if (text.charAt(i) == '"') {
            throw new PlaylistParseException(line, tag + ": attribute " + name
                + " has a stray double quote in an unquoted value");
          }
          if (strict && Character.isWhitespace(text.charAt(i))) {
            // RFC 8216 4.2: only a quoted-string may hold white space
            throw new PlaylistParseException(line, tag + ": attribute " + name
                + " has white space in an unquoted value at column " + (i + 1));
          }
          i++;
        }
      }
      String value = text.substring(valueStart, i);
      if (!strict) {
        value = value.strip();
      }
      if (value.isEmpty()) {
        throw new PlaylistParseException(line, tag + ": attribute " + name + " has no value");
      }
      if (raw.put(name, value) != null) {
        throw new PlaylistParseException(line, tag + ": attribute " + name
            + " appears twice; an attribute-list holds each name once");
      }
      if (i < n) {
        if (!strict) {
          while (i < n && text.charAt(i) == ' ') {
            i++;
          }
        }
        if (i < n && text.charAt(i) != ',') {
          throw new PlaylistParseException(line, tag + ": expected ',' after attribute " + name
              + " at column " + (i + 1));
        }
        i++;
        if (i == n && strict) {
          throw new PlaylistParseException(line, tag + ": the attribute-list ends with a comma");
        }
      }
    }
    return new AttributeList(raw, tag, line, strict);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  private static boolean isQuoted(String v) {
    return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"';
  }

  private PlaylistParseException error(String name, String expected, String value) {
    return new PlaylistParseException(line, tag + ": attribute " + name + " must be " + expected
        + ", found " + value);
  }

  Optional<String> quoted(String name) {
    read.add(name);
    String v = raw.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (isQuoted(v)) {
      return Optional.of(v.substring(1, v.length() - 1));
    }
    if (strict) {
      throw error(name, "a quoted-string", v);
    }
    return Optional.of(v);
  }

  String requiredQuoted(String name) {
    return quoted(name).orElseThrow(() -> missing(name));
  }

  Optional<String> enumerated(String name) {
    read.add(name);
    String v = raw.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (isQuoted(v)) {
      if (strict) {
        throw error(name, "an enumerated-string without quotes", v);
      }
      return Optional.of(v.substring(1, v.length() - 1));
    }
    return Optional.of(v);
  }

  String requiredEnumerated(String name) {
    return enumerated(name).orElseThrow(() -> missing(name));
  }

  boolean yesNo(String name) {
    Optional<String> v = enumerated(name);
    if (v.isEmpty()) {
      return false;
    }
    switch (v.get()) {
      case "YES":
        return true;
      case "NO":
        return false;
      default:
        throw error(name, "YES or NO", v.get());
    }
  }

  Optional<Long> decimalInteger(String name) {
    return enumerated(name).map(v -> {
      try {
        if (v.isEmpty() || v.charAt(0) == '-' || v.charAt(0) == '+') {
          throw new NumberFormatException();
        }
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw error(name, "a decimal-integer", v);
      }
    });
  }

  long requiredDecimalInteger(String name) {
    return decimalInteger(name).orElseThrow(() -> missing(name));
  }

  Optional<BigDecimal> decimal(String name, boolean signed) {
    return enumerated(name).map(v -> Decimals.parse(v, signed, line, tag + " " + name));
  }

  Optional<Resolution> resolution(String name) {
    return enumerated(name).map(v -> {
      int x = v.indexOf('x');
      try {
        return new Resolution(
            Integer.parseInt(v.substring(0, x)), Integer.parseInt(v.substring(x + 1)));
      } catch (RuntimeException e) {
        throw error(name, "a decimal-resolution such as 1280x720", v);
      }
    });
  }

  Optional<ByteRange> byteRange(String name) {
    return quoted(name).map(v -> ByteRanges.parse(v, line, tag + " " + name));
  }

  List<String> codecs(String name) {
    Optional<String> v = quoted(name);
    if (v.isEmpty()) {
      return List.of();
    }
    List<String> codecs = new ArrayList<>();
    for (String c : v.get().split(",")) {
      codecs.add(c.strip());
    }
    return codecs;
  }

  /** {@code CLOSED-CAPTIONS}: a quoted group id, or the enumerated-string {@code NONE}. */
  Optional<String> closedCaptions() {
    String v = raw.get("CLOSED-CAPTIONS");
    if ("NONE".equals(v)) {
      read.add("CLOSED-CAPTIONS");
      return Optional.of(v);
    }
    return quoted("CLOSED-CAPTIONS");
  }

  /** The attributes not read through an accessor, as written. */
  Map<String, String> unread() {
    Map<String, String> rest = new LinkedHashMap<>();
    raw.forEach((k, v) -> {
      if (!read.contains(k)) {
        rest.put(k, v);
      }
    });
    return rest;
  }

  private PlaylistParseException missing(String name) {
    return new PlaylistParseException(line, tag + ": the required attribute " + name
        + " is missing");
  }
}
