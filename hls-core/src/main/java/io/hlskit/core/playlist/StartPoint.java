package io.hlskit.core.playlist;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code EXT-X-START}: where a player should start playing.
 *
 * @param timeOffset from the start of the playlist, or from its end when negative
 * @param precise whether to start exactly there rather than at the segment holding it
 */
public record StartPoint(Duration timeOffset, boolean precise) {
  public StartPoint {
    Objects.requireNonNull(timeOffset, "timeOffset");
  }
}
