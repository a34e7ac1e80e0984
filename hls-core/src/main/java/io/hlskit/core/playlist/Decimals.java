package io.hlskit.core.playlist;

import io.hlskit.core.PlaylistParseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Decimal numbers and durations as RFC 8216 reads and writes them. */
final class Decimals {
  private Decimals() {}

  /** Parses a decimal-floating-point (or signed-decimal-floating-point when signed). */
  static BigDecimal parse(String text, boolean signed, int line, String what) {
    boolean ok = !text.isEmpty();
    int digits = 0;
    int dots = 0;
    for (int i = 0; i < text.length() && ok; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.') {
        ok = ++dots == 1;
      } else if (c == '-' && i == 0 && signed) {
        continue;
      } else {
        ok = false;
      }
    }
    if (!ok || digits == 0) {
      throw new PlaylistParseException(line, what + " must be a " + (signed ? "signed " : "")
          + "decimal number such as 6.006, found '" + text + "'");
    }
    return new BigDecimal(text);
  }

  /**
   * Parses a non-negative decimal number of seconds straight into a duration, without a
   * BigDecimal on the common path (EXTINF is read once per segment).
   */
  static Duration parseDuration(String text, int line, String what) {
    int n = text.length();
    int i = 0;
    long seconds = 0;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i < 18) {
      seconds = seconds * 10 + (text.charAt(i) - '0');
      i++;
    }
    int integerDigits = i;
    long nanos = 0;
    int fractionDigits = 0;
    if (i < n && text.charAt(i) == '.') {
      i++;
      while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && fractionDigits < 9) {
        nanos = nanos * 10 + (text.charAt(i) - '0');
        i++;
        fractionDigits++;
      }
    }
    if (i != n || (integerDigits == 0 && fractionDigits == 0)) {
      // unusual (more than 9 decimals, huge) or malformed: the exact path decides
      return toDuration(parse(text, false, line, what), line, what);
    }
    for (int d = fractionDigits; d < 9; d++) {
      nanos *= 10;
    }
    return Duration.ofSeconds(seconds, nanos);
  }

  /**
   * A duration from a number of seconds, to the nanosecond.
   *
   * @throws PlaylistParseException when it lies beyond what a duration holds (~292 billion years)
   */
  static Duration toDuration(BigDecimal seconds, int line, String what) {
    try {
      BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
      long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
      return Duration.ofSeconds(whole.longValueExact(), nanos);
    } catch (ArithmeticException e) {
      throw new PlaylistParseException(line, what + " " + seconds.toPlainString()
          + " is too large to be a duration");
    }
  }

  /** A duration in seconds as a plain decimal without trailing zeros, sign included. */
  static String seconds(Duration d) {
    BigDecimal s = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return s.signum() == 0 ? "0" : s.stripTrailingZeros().toPlainString();
  }

  /**
   * Appends a non-negative duration in seconds: with at least three decimals when {@code
   * decimals}, otherwise as an integer (the caller knows it is whole).
   */
  static void appendSeconds(StringBuilder out, Duration d, boolean decimals) {
    out.append(d.getSeconds());
    if (!decimals) {
      return;
    }
    out.append('.');
    int nanos = d.getNano();
    int divisor = 100_000_000;
    int written = 0;
    while (divisor > 0 && (written < 3 || nanos != 0)) {
      int digit = nanos / divisor;
      out.append((char) ('0' + digit));
      nanos -= digit * divisor;
      divisor /= 10;
      written++;
    }
  }

  /** A decimal with at least three decimals, as FRAME-RATE is conventionally written. */
  static String threeDecimals(BigDecimal value) {
    return value.scale() >= 3 ? value.toPlainString() : value.setScale(3).toPlainString();
  }
}
