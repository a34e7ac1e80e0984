package io.hlskit.transcode.internal;

import java.util.List;

/**
 * What a transcode is asked to make, everything the caller chose.
 *
 * @param renditions what to make, lowest first
 * @param dropLarger for a ladder: leave out renditions larger than the source instead of making
 *     them at the source's size
 * @param fmp4 fragmented MP4 segments with an init section instead of MPEG-TS
 * @param thumbnails the thumbnails to make; null for none
 */
public record EncodeSettings(List<Rendition> renditions, boolean dropLarger, long audioBitrate,
    double segmentSeconds, boolean fmp4, Thumbnails thumbnails) {

  /** Thumbnails for scrubbing: their long side, one every interval, columns x rows a sheet. */
  public record Thumbnails(int longSide, long intervalMicros, int columns, int rows) {}

  /**
   * One rendition asked for.
   *
   * @param name its folder name; null to name it by the short side of the picture made
   * @param crf a constant-quality target capped by {@code maxRate}; negative for none
   * @param encoder libav's name of the video encoder ({@code libx264}, {@code libopenh264},
   *     {@code libx265})
   */
  public record Rendition(String name, int shortSide, long videoBitrate, long maxRate,
      long bufferSize, int crf, String encoder, String preset) {
    /** Whether the encoder makes HEVC. */
    boolean hevc() {
      return encoder.equals("libx265");
    }
  }
}
