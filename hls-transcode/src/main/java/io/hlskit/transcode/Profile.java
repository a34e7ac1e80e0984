package io.hlskit.transcode;

import java.util.Locale;

/**
 * The named conversion profiles: presets of {@link Rendition}. Sizes name the short side of the
 * picture and keep the source's display aspect; a source smaller than the profile keeps its own
 * size (never upscaled).
 */
public enum Profile {
  /** 360p, 500 kb/s video, AAC 128 kb/s. */
  LOW(360, 500_000, 128_000),
  /** 720p, 1,500 kb/s video, AAC 128 kb/s; the usual default. */
  MEDIUM(720, 1_500_000, 128_000),
  /** 1080p, 3,000 kb/s video, AAC 128 kb/s. */
  HIGH(1080, 3_000_000, 128_000);

  private final int shortSide;
  private final long videoBitrate;
  private final long audioBitrate;

  Profile(int shortSide, long videoBitrate, long audioBitrate) {
    this.shortSide = shortSide;
    this.videoBitrate = videoBitrate;
    this.audioBitrate = audioBitrate;
  }

  /** The short side of the picture in pixels: 360, 720 or 1080. */
  public int shortSide() {
    return shortSide;
  }

  /** The video bit rate in bits per second. */
  public long videoBitrate() {
    return videoBitrate;
  }

  /** The AAC bit rate in bits per second. */
  public long audioBitrate() {
    return audioBitrate;
  }

  /**
   * This profile as a rendition: its size and bit rate, max rate 1.5 times the bit rate, a
   * buffer of two seconds, the transcoder's H.264 encoder at preset {@code fast}.
   */
  public Rendition rendition() {
    return Rendition.builder(shortSide, videoBitrate).build();
  }

  /** The profile for its command-line name ({@code low}, {@code medium}, {@code high}). */
  public static Profile of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown profile '" + name
          + "': use low (360p), medium (720p) or high (1080p)");
    }
  }
}
