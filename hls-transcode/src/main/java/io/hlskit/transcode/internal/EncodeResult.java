package io.hlskit.transcode.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a transcode (or a remux) made.
 *
 * @param audioCodecs the RFC 6381 name of the audio every rendition carries; empty for none
 * @param frames video frames, or for audio only the audio frames encoded
 * @param frameRate frames per second of the video, 0 for audio only
 * @param thumbnails the tile sheets of thumbnails made, when asked for and made
 */
public record EncodeResult(List<Rendition> renditions, Optional<String> audioCodecs,
    long frames, double durationSeconds, double frameRate, Optional<byte[]> posterJpeg,
    Optional<Thumbnails> thumbnails) {

  /** The thumbnails: each {@code width x height}, one every interval, in these sheets. */
  public record Thumbnails(int width, int height, double intervalSeconds, List<Sheet> sheets) {}

  /** A tile sheet written: its JPEG file, how many thumbnails it holds and its grid. */
  public record Sheet(Path file, int count, int columns, int rows) {}

  /**
   * One rendition made: its folder name (null to name it by its size), its picture size (0 x 0 for audio only), RFC 6381 video codec name (null
   * when unknown or audio only), its segments in order and, for fragmented MP4, the
   * initialization section they share.
   */
  public record Rendition(String name, int width, int height, long videoBitrate, String videoCodecs,
      List<Segment> segments, Optional<Path> init) {
    /** Whether the rendition has pictures; {@code false} for an audio-only channel. */
    public boolean hasVideo() {
      return width > 0 && height > 0;
    }
  }

  /** A segment file and how long it plays. */
  public record Segment(Path file, Duration duration) {}
}
