package io.hlskit.core;

import java.util.regex.Pattern;

/**
 * The rules for object keys and channel ids, checked by every {@link
 * io.hlskit.core.store.MediaStore}: a key is a relative path of {@code /}-separated segments that
 * cannot leave the store, whatever the backend.
 */
public final class StorageKeys {
  /** Channel ids: lower-case letters, digits, {@code _} and {@code -}, 1 to 64 characters. */
  public static final Pattern CHANNEL_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /** The longest key accepted, in characters; S3 allows 1,024 bytes of UTF-8. */
  public static final int MAX_KEY_LENGTH = 512;

  private StorageKeys() {}

  /**
   * Returns {@code key} when it is a valid object key, else throws.
   *
   * @throws IllegalArgumentException when the key is empty, too long, absolute, has empty,
   *     {@code .} or {@code ..} segments, a backslash, a control character or broken UTF-16
   */
  public static String requireKey(String key) {
    String problem = keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException("invalid key '" + printable(key) + "': " + problem);
    }
    return key;
  }

  /**
   * Returns {@code prefix} when it is empty (everything) or a valid key that may end with
   * {@code /}, else throws.
   */
  public static String requirePrefix(String prefix) {
    if (prefix == null) {
      throw new NullPointerException("prefix must not be null; use \"\" for every key");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String key = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    String problem = keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException("invalid prefix '" + printable(prefix) + "': "
          + problem);
    }
    return prefix;
  }

  /** Whether {@code key} is a valid object key. */
  public static boolean isValidKey(String key) {
    return keyProblem(key) == null;
  }

  /**
   * Whether a valid key has a path segment starting with {@code .}: such keys are kept for the
   * stores' own bookkeeping (drafts, temporary files) and refused from users.
   */
  public static boolean isReserved(String key) {
    return key.startsWith(".") || key.contains("/.");
  }

  /**
   * Returns {@code key} when it is a valid key that is not {@linkplain #isReserved reserved}.
   *
   * @throws IllegalArgumentException when it is not
   */
  public static String requireUserKey(String key) {
    requireKey(key);
    if (isReserved(key)) {
      throw new IllegalArgumentException("invalid key '" + printable(key) + "': segments"
          + " starting with '.' are reserved for the store's temporary files");
    }
    return key;
  }

  /**
   * Returns {@code id} when it is a valid channel id.
   *
   * @throws IllegalArgumentException saying the rule, when it is not
   */
  public static String requireChannelId(String id) {
    if (!isValidChannelId(id)) {
      throw new IllegalArgumentException("invalid channel id '" + printable(id) + "': use 1 to 64"
          + " lower-case letters, digits, '_' and '-', starting with a letter or digit");
    }
    return id;
  }

  /** Whether {@code id} is a valid channel id: one that {@link #CHANNEL_ID} matches. */
  public static boolean isValidChannelId(String id) {
    // checked on every request: a loop costs a tenth of a regular expression
    if (id == null || id.isEmpty() || id.length() > 64 || !isIdChar(id.charAt(0), false)) {
      return false;
    }
    for (int i = 1; i < id.length(); i++) {
      if (!isIdChar(id.charAt(i), true)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdChar(char c, boolean inside) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || inside && (c == '_' || c == '-');
  }

  private static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "it is empty";
    }
    if (key.length() > MAX_KEY_LENGTH) {
      return "it is longer than " + MAX_KEY_LENGTH + " characters";
    }
    if (key.charAt(0) == '/') {
      return "it is absolute; keys are relative to the store";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\') {
        return "it holds a backslash";
      }
      if (c < 0x20 || c == 0x7f) {
        return "it holds a control character";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return "it holds broken UTF-16";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "it holds broken UTF-16";
      }
    }
    int start = 0;
    while (start <= key.length()) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      String segment = key.substring(start, end);
      if (segment.isEmpty()) {
        return "it has an empty path segment";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "it has a '" + segment + "' segment";
      }
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return null;
  }

  private static String printable(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 200 ? b + "..." : b.toString();
  }
}
