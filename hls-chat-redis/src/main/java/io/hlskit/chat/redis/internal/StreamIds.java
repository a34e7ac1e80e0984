package io.hlskit.chat.redis.internal;

/** Redis stream entry ids ({@code <milliseconds>-<sequence>}), compared as Redis orders them. */
public final class StreamIds {
  private StreamIds() {}

  /** Whether {@code id} has the shape of a stream id. */
  public static boolean isValid(String id) {
    return id != null && id.matches("\\d{1,20}-\\d{1,20}");
  }

  /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b}. */
  public static int compare(String a, String b) {
    int c = Long.compareUnsigned(part(a, 0), part(b, 0));
    return c != 0 ? c : Long.compareUnsigned(part(a, 1), part(b, 1));
  }

  private static long part(String id, int which) {
    int dash = id.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("not a stream id: " + id);
    }
    return Long.parseUnsignedLong(which == 0 ? id.substring(0, dash) : id.substring(dash + 1));
  }
}
