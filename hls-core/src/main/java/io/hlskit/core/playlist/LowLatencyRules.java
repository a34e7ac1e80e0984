package io.hlskit.core.playlist;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The rules of HLS 2nd edition on partial segments, hints and server control, in one place. */
final class LowLatencyRules {
  private LowLatencyRules() {}

  static void check(List<MediaSegment> segments, int targetDuration,
      Optional<ServerControl> control, Optional<Duration> partTarget,
      Optional<OpenSegment> open, List<PreloadHint> hints) {
    partTarget.ifPresent(t -> {
      if (t.isNegative() || t.isZero() || t.compareTo(MediaSegment.MAX_DURATION) > 0) {
        throw new IllegalArgumentException("PART-TARGET must be more than 0 s: " + t);
      }
    });
    for (MediaSegment s : segments) {
      for (PartialSegment p : s.parts()) {
        checkPart(p, partTarget);
      }
    }
    open.ifPresent(o -> o.parts().forEach(p -> checkPart(p, partTarget)));
    Set<PreloadHint.Type> types = EnumSet.noneOf(PreloadHint.Type.class);
    for (PreloadHint h : hints) {
      if (!types.add(h.type())) {
        throw new IllegalArgumentException("two EXT-X-PRELOAD-HINT of TYPE=" + h.type()
            + "; a playlist hints at most one resource of each type");
      }
      if (h.type() == PreloadHint.Type.PART && partTarget.isEmpty()) {
        throw new IllegalArgumentException("an EXT-X-PRELOAD-HINT of TYPE=PART needs"
            + " EXT-X-PART-INF, which says how long parts are");
      }
    }
    Duration target = Duration.ofSeconds(targetDuration);
    control.ifPresent(c -> {
      c.holdBack().ifPresent(h -> atLeast(h, target.multipliedBy(3), "HOLD-BACK",
          "three target durations"));
      c.canSkipUntil().ifPresent(h -> atLeast(h, target.multipliedBy(6), "CAN-SKIP-UNTIL",
          "six target durations"));
      partTarget.ifPresent(t -> {
        Duration hold = c.partHoldBack().orElseThrow(() -> new IllegalArgumentException(
            "EXT-X-SERVER-CONTROL needs PART-HOLD-BACK in a playlist with EXT-X-PART-INF"));
        atLeast(hold, t.multipliedBy(2), "PART-HOLD-BACK", "twice the PART-TARGET");
      });
    });
    if (control.isEmpty() && partTarget.isPresent()) {
      throw new IllegalArgumentException("a playlist with EXT-X-PART-INF needs"
          + " EXT-X-SERVER-CONTROL with PART-HOLD-BACK, which tells players where to start");
    }
  }

  private static void checkPart(PartialSegment p, Optional<Duration> partTarget) {
    Duration t = partTarget.orElseThrow(() -> new IllegalArgumentException("partial segment "
        + p.uri() + " needs EXT-X-PART-INF, which says how long parts are"));
    if (p.duration().compareTo(t) > 0) {
      throw new IllegalArgumentException("partial segment " + p.uri() + " lasts "
          + Decimals.seconds(p.duration()) + " s, more than the PART-TARGET of "
          + Decimals.seconds(t) + " s");
    }
  }

  private static void atLeast(Duration value, Duration floor, String name, String what) {
    if (value.compareTo(floor) < 0) {
      throw new IllegalArgumentException(name + "=" + Decimals.seconds(value) + " is less than "
          + what + " (" + Decimals.seconds(floor) + " s)");
    }
  }
}
