package io.hlskit.core.playlist;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The media segment a live low-latency playlist is still writing: the partial segments it has
 * so far, after the last complete segment's URI. It has no {@code EXTINF} or URI yet; the tags
 * that precede its first part are kept here. The key in effect is the playlist's last segment's,
 * and so is the initialization section unless one starts with this segment.
 *
 * @param discontinuity whether {@code EXT-X-DISCONTINUITY} precedes it
 * @param programDateTime {@code EXT-X-PROGRAM-DATE-TIME} of its first sample
 * @param map an {@code EXT-X-MAP} that precedes its first part (a broadcast that started again
 *     in fragmented MP4 with a new initialization section); empty when the last segment's is in
 *     effect
 * @param parts its partial segments so far, at least one
 */
public record OpenSegment(boolean discontinuity, Optional<OffsetDateTime> programDateTime,
    Optional<InitializationSection> map, List<PartialSegment> parts) {

  public OpenSegment {
    Objects.requireNonNull(programDateTime, "programDateTime");
    Objects.requireNonNull(map, "map");
    parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("an open segment has at least one partial segment");
    }
  }

  /** An open segment under the initialization section of the last segment, if any. */
  public OpenSegment(boolean discontinuity, Optional<OffsetDateTime> programDateTime,
      List<PartialSegment> parts) {
    this(discontinuity, programDateTime, Optional.empty(), parts);
  }

  /** The parts of a segment that follows the last one without a discontinuity. */
  public static OpenSegment of(List<PartialSegment> parts) {
    return new OpenSegment(false, Optional.empty(), parts);
  }
}
