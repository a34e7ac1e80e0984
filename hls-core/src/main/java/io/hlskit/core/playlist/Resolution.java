package io.hlskit.core.playlist;

/** A video resolution in pixels, written {@code <width>x<height>}. */
public record Resolution(int width, int height) {
  public Resolution {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("resolution must be positive: " + width + "x" + height);
    }
  }

  /** The RFC 8216 text form, {@code <width>x<height>}. */
  @Override
  public String toString() {
    return width + "x" + height;
  }
}
