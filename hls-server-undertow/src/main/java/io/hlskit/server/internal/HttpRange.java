package io.hlskit.server.internal;

import java.util.Optional;

/**
 * One byte range of an HTTP {@code Range: bytes=...} header (RFC 9110 14.1.2), resolved against
 * the representation's length. Undertow's own {@code io.undertow.util.ByteRange} parses several
 * ranges but leaves overflow, oversized headers and the single-range policy to its caller; this
 * one is what the fuzz target {@code HttpRangeFuzzTest} holds to its rules.
 *
 * @param start first byte, inclusive
 * @param end last byte, inclusive
 */
public record HttpRange(long start, long end) {

  /** The number of bytes in the range. */
  public long length() {
    return end - start + 1;
  }

  /** What {@link #parse} found. */
  public enum Kind {
    /** No usable Range header: send the whole representation. */
    WHOLE,
    /** One satisfiable range: send 206. */
    PARTIAL,
    /** A valid range that lies outside the representation: send 416. */
    UNSATISFIABLE
  }

  /** The outcome of parsing a Range header. */
  public record Parsed(Kind kind, Optional<HttpRange> range) {}

  private static final Parsed WHOLE = new Parsed(Kind.WHOLE, Optional.empty());
  private static final Parsed UNSATISFIABLE = new Parsed(Kind.UNSATISFIABLE, Optional.empty());

  /**
   * Reads a Range header for a representation of {@code length} bytes. Malformed headers and
   * several ranges are answered with the whole representation, as RFC 9110 allows; a header with
   * a single syntactically valid range that does not overlap the content is unsatisfiable.
   */
  public static Parsed parse(String header, long length) {
    if (header == null) {
      return WHOLE;
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return WHOLE;
    }
    String spec = h.substring(6).strip();
    if (spec.isEmpty() || spec.indexOf(',') >= 0 || spec.length() > 60) {
      return WHOLE;
    }
    int dash = spec.indexOf('-');
    if (dash < 0 || dash != spec.lastIndexOf('-')) {
      return WHOLE;
    }
    String first = spec.substring(0, dash).strip();
    String last = spec.substring(dash + 1).strip();
    Long a = digits(first);
    Long b = digits(last);
    if (first.isEmpty()) {
      // suffix range: the last b bytes
      if (b == null) {
        return WHOLE;
      }
      if (b == 0 || length == 0) {
        return UNSATISFIABLE;
      }
      long start = Math.max(0, length - b);
      return partial(start, length - 1);
    }
    if (a == null || (!last.isEmpty() && b == null)) {
      return WHOLE;
    }
    if (b != null && b < a) {
      return WHOLE; // invalid range-spec: ignore the header
    }
    if (a >= length) {
      return UNSATISFIABLE;
    }
    long end = b == null ? length - 1 : Math.min(b, length - 1);
    return partial(a, end);
  }

  private static Parsed partial(long start, long end) {
    return new Parsed(Kind.PARTIAL, Optional.of(new HttpRange(start, end)));
  }

  private static Long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(s);
  }
}
