package io.hlskit.core.playlist;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/** Frame rates are kept without trailing zeros so that 30 and 30.000 are the same value. */
final class FrameRates {
  private FrameRates() {}

  static Optional<BigDecimal> normalize(Optional<BigDecimal> frameRate) {
    Objects.requireNonNull(frameRate, "frameRate");
    return frameRate.map(f -> {
      if (f.signum() <= 0) {
        throw new IllegalArgumentException("FRAME-RATE must be positive: " + f);
      }
      BigDecimal stripped = f.stripTrailingZeros();
      return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    });
  }
}
