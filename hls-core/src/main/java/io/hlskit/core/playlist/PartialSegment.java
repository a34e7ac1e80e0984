package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A partial segment of a low-latency playlist ({@code EXT-X-PART}, HLS 2nd edition 4.4.4.9): a
 * piece of a media segment that a player may fetch before the whole segment exists.
 *
 * @param uri the part's URI, relative to the playlist or absolute
 * @param duration how long it plays; at most the playlist's {@code PART-TARGET}
 * @param independent {@code INDEPENDENT=YES}: it starts with a picture decodable on its own
 * @param byteRange {@code BYTERANGE}: the part is a sub-range of its resource
 * @param gap {@code GAP=YES}: the part is not available
 */
public record PartialSegment(String uri, Duration duration, boolean independent,
    Optional<ByteRange> byteRange, boolean gap) {

  public PartialSegment {
    Checks.quotable(Checks.uri(uri, "partial segment URI"), "partial segment URI");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("a partial segment must last more than 0 s: " + uri);
    }
    if (duration.compareTo(MediaSegment.MAX_DURATION) > 0) {
      throw new IllegalArgumentException("partial segment duration must be at most "
          + MediaSegment.MAX_DURATION + ": " + duration);
    }
    Objects.requireNonNull(byteRange, "byteRange");
  }

  /** A whole-file part at {@code uri}. */
  public static PartialSegment of(String uri, Duration duration, boolean independent) {
    return new PartialSegment(uri, duration, independent, Optional.empty(), false);
  }
}
