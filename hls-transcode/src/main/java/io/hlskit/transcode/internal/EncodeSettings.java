package io.hlskit.transcode.internal;

import java.util.List;

/**
 * What a transcode is asked to make, everything the caller chose.
 *
 * @param renditions what to make, lowest first
 * @param dropLarger for a ladder: leave out renditions larger than the source instead of making
 *     them at the source's size
 * @param fmp4 fragmented MP4 segments with an init section instead of MPEG-TS
 */
public record EncodeSettings(List<Rendition> renditions, boolean dropLarger, long audioBitrate,
    double segmentSeconds, String videoEncoder, boolean fmp4) {

  /** One rendition asked for: the short side of its picture and its video bit rate. */
  public record Rendition(int shortSide, long videoBitrate) {}
}
