package io.hlskit.transcode;

import java.util.Locale;

/** The container of the segments. */
public enum SegmentFormat {
  /** MPEG-2 transport stream ({@code .ts}): what every HLS player reads; the default. */
  TS,
  /** Fragmented MP4 / CMAF ({@code .m4s} with an {@code init.mp4}), HLS version 7. */
  FMP4;

  /** {@code ts} or {@code fmp4}. */
  public static SegmentFormat of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown segment format '" + name + "': use ts or fmp4");
    }
  }
}
