package io.hlskit.transcode.internal;

import java.util.List;
import java.util.Optional;

/**
 * Where a live session hands what it makes, on the session's own thread: the renditions once the
 * stream's codecs and sizes are known, then each segment of each rendition as it completes.
 */
public interface LiveSegments {
  /**
   * One rendition of a live session.
   *
   * @param name its folder name ({@code 720p}, {@code source})
   * @param width 0 for audio only
   * @param bandwidth its peak bit rate as announced, video and audio
   * @param codecs RFC 6381 codecs, when known
   * @param init the initialization section of fragmented MP4 ({@code EXT-X-MAP}); null for
   *     MPEG-TS
   */
  record Rendition(String name, int width, int height, long bandwidth, List<String> codecs,
      double frameRate, byte[] init) {
    /** A rendition in MPEG-TS, which has no initialization section. */
    public Rendition(String name, int width, int height, long bandwidth, List<String> codecs,
        double frameRate) {
      this(name, width, height, bandwidth, codecs, frameRate, null);
    }

    /** Whether it is fragmented MP4, its segments behind {@link #init}. */
    public boolean fmp4() {
      return init != null;
    }
  }

  /**
   * A completed segment.
   *
   * @param start where it starts on the channel's timeline, in 90 kHz ticks
   * @param duration how long it plays, in 90 kHz ticks
   */
  record Segment(byte[] bytes, long start, long duration) {}

  /**
   * A completed partial segment (Low-Latency HLS), handed over before the segment it belongs to.
   *
   * @param start where it starts on the channel's timeline, in 90 kHz ticks
   * @param duration how long it plays, in 90 kHz ticks, at most the part target
   * @param independent whether it starts with a keyframe
   * @param number its place in its segment, from 0
   * @param last whether it ends its segment: {@link #segment} follows at once
   */
  record Part(byte[] bytes, long start, long duration, boolean independent, int number,
      boolean last) {}

  /** The session's renditions, lowest first, before their first segments. */
  void renditions(List<Rendition> renditions);

  /** Segment {@code segment} of rendition {@code index} (in the order {@link #renditions} gave). */
  void segment(int index, Segment segment);

  /** Part {@code part} of rendition {@code index}'s segment being written. */
  default void part(int index, Part part) {}

  /**
   * Rendition {@code index} is no longer encoded, to keep the others in real time: its playlist
   * goes on with the segments of rendition {@code into} (a lower one) from the next segment on,
   * after a discontinuity, and new viewers are not offered it.
   */
  default void shed(int index, int into) {}

  /** A poster from the stream's first pictures, when one could be made. */
  default void poster(Optional<byte[]> jpeg) {}
}
