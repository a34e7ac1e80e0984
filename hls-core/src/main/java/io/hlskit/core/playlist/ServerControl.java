package io.hlskit.core.playlist;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-SERVER-CONTROL} (HLS 2nd edition 4.4.3.8): what the server that answers a live
 * playlist can do for a player. {@link MediaPlaylist} checks the durations against its target
 * durations.
 *
 * @param canBlockReload {@code CAN-BLOCK-RELOAD=YES}: requests with {@code _HLS_msn} (and {@code
 *     _HLS_part}) are held until that segment or part is in the playlist
 * @param canSkipUntil {@code CAN-SKIP-UNTIL}: how far from the live edge the server can replace
 *     older segments with {@code EXT-X-SKIP} when asked with {@code _HLS_skip}
 * @param canSkipDateRanges {@code CAN-SKIP-DATERANGES=YES}: it can skip older {@code
 *     EXT-X-DATERANGE} tags too ({@code _HLS_skip=v2}); needs {@code canSkipUntil}
 * @param holdBack {@code HOLD-BACK}: the nearest to the end a player should start playing
 * @param partHoldBack {@code PART-HOLD-BACK}: the same in low-latency mode
 */
public record ServerControl(boolean canBlockReload, Optional<Duration> canSkipUntil,
    boolean canSkipDateRanges, Optional<Duration> holdBack, Optional<Duration> partHoldBack) {

  public ServerControl {
    positive(canSkipUntil, "CAN-SKIP-UNTIL");
    positive(holdBack, "HOLD-BACK");
    positive(partHoldBack, "PART-HOLD-BACK");
    if (canSkipDateRanges && canSkipUntil.isEmpty()) {
      throw new IllegalArgumentException(
          "CAN-SKIP-DATERANGES=YES needs CAN-SKIP-UNTIL: it says what skipping may leave out");
    }
    if (!canBlockReload && canSkipUntil.isEmpty() && holdBack.isEmpty()
        && partHoldBack.isEmpty()) {
      throw new IllegalArgumentException("EXT-X-SERVER-CONTROL with no attribute says nothing;"
          + " leave it out");
    }
  }

  private static void positive(Optional<Duration> d, String name) {
    Objects.requireNonNull(d, name).ifPresent(v -> {
      if (v.isNegative() || v.compareTo(MediaSegment.MAX_DURATION) > 0) {
        throw new IllegalArgumentException(name + " must be between 0 and "
            + MediaSegment.MAX_DURATION.toSeconds() + " s: " + v);
      }
    });
  }

  /**
   * What a low-latency live playlist offers: blocking reloads, {@code PART-HOLD-BACK} and, when
   * {@code canSkipUntil} is given, delta updates.
   */
  public static ServerControl lowLatency(Duration partHoldBack, Duration canSkipUntil) {
    return new ServerControl(true, Optional.ofNullable(canSkipUntil), false, Optional.empty(),
        Optional.of(partHoldBack));
  }
}
