package io.hlskit.core.playlist;

/** The {@code TYPE} of an {@code EXT-X-MEDIA} rendition. */
public enum RenditionType {
  AUDIO("AUDIO"),
  VIDEO("VIDEO"),
  SUBTITLES("SUBTITLES"),
  CLOSED_CAPTIONS("CLOSED-CAPTIONS");

  private final String text;

  RenditionType(String text) {
    this.text = text;
  }

  /** The value as written in the playlist. */
  public String text() {
    return text;
  }

  static RenditionType fromText(String text) {
    for (RenditionType t : values()) {
      if (t.text.equals(text)) {
        return t;
      }
    }
    return null;
  }
}
