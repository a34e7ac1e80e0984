package io.hlskit.server.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP dates ({@code Sun, 06 Nov 1994 08:49:37 GMT}, RFC 9110 5.6.7) for {@code Last-Modified}.
 * The same object is asked for again and again, so the last date made is kept: a hit costs no
 * formatting (a {@code SimpleDateFormat} per request showed in the serving profile).
 * Thread-safe.
 */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
      .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private record Formatted(long epochSecond, String text) {}

  private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  private HttpDates() {}

  /** {@code instant}, to the second, as an HTTP date. */
  static String format(Instant instant) {
    long second = instant.getEpochSecond();
    Formatted f = last;
    if (f.epochSecond() != second) {
      f = new Formatted(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
      last = f;
    }
    return f.text();
  }
}
