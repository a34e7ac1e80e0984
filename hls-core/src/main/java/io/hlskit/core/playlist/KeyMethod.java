package io.hlskit.core.playlist;

/** The encryption methods of {@code EXT-X-KEY}; segments that are not encrypted carry no key. */
public enum KeyMethod {
  AES_128("AES-128"),
  SAMPLE_AES("SAMPLE-AES");

  private final String text;

  KeyMethod(String text) {
    this.text = text;
  }

  /** The value as written in the playlist. */
  public String text() {
    return text;
  }

  /** The method for its playlist text, or null when there is none by that name. */
  static KeyMethod fromText(String text) {
    for (KeyMethod m : values()) {
      if (m.text.equals(text)) {
        return m;
      }
    }
    return null;
  }
}
