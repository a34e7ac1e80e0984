package io.hlskit.core.channel;

import java.util.Locale;

/**
 * Who a channel is for. A public channel is listed to and played by anyone the access policy lets
 * watch; a private one only to requests with valid credentials, and its segments are encrypted so
 * that they may sit on a public bucket or a CDN: access is decided where the key is handed out.
 */
public enum Visibility {
  /** Listed and played by anyone (the default). */
  PUBLIC,
  /** Listed and played only with valid credentials; segments encrypted (AES-128). */
  PRIVATE;

  /** The name in {@code channel.json} and the API: {@code public} or {@code private}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The visibility named {@code name} ({@code public} or {@code private}, any letter case).
   *
   * @throws IllegalArgumentException naming the values allowed
   */
  public static Visibility parse(String name) {
    for (Visibility v : values()) {
      if (v.name().equalsIgnoreCase(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("visibility must be 'public' or 'private', not '"
        + name + "'");
  }
}
