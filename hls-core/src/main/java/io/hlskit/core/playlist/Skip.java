package io.hlskit.core.playlist;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-SKIP} (HLS 2nd edition 4.4.5.2): in a playlist delta update, the segments at the
 * start of the playlist that were left out because the player already has them. The first
 * segment of the model then has sequence number {@code mediaSequence + skippedSegments}.
 *
 * @param skippedSegments {@code SKIPPED-SEGMENTS}: how many segments were left out
 * @param recentlyRemovedDateRanges {@code RECENTLY-REMOVED-DATERANGES}: the ids of date ranges
 *     removed since, present in an update that skipped date ranges ({@code _HLS_skip=v2})
 */
public record Skip(long skippedSegments, Optional<List<String>> recentlyRemovedDateRanges) {

  public Skip {
    if (skippedSegments < 0) {
      throw new IllegalArgumentException("SKIPPED-SEGMENTS must not be negative: "
          + skippedSegments);
    }
    recentlyRemovedDateRanges = Objects.requireNonNull(recentlyRemovedDateRanges,
        "recentlyRemovedDateRanges").map(List::copyOf);
    recentlyRemovedDateRanges.ifPresent(ids -> ids.forEach(id -> {
      if (id.isEmpty() || id.indexOf('\t') >= 0 || id.indexOf('"') >= 0) {
        throw new IllegalArgumentException("a removed date range id must be non-empty, without"
            + " a tab or a double quote: '" + id + "'");
      }
    }));
  }

  /** {@code count} segments skipped, date ranges not. */
  public static Skip segments(long count) {
    return new Skip(count, Optional.empty());
  }
}
