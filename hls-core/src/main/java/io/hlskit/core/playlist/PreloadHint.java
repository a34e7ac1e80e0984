package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-PRELOAD-HINT} (HLS 2nd edition 4.4.5.3): a resource the player may ask for before
 * it exists, such as the next partial segment; the server holds that request until it can answer.
 *
 * @param type {@code TYPE}: a partial segment or an initialization section
 * @param uri the resource
 * @param byteRangeStart {@code BYTERANGE-START}: where the hinted bytes start (0 when absent)
 * @param byteRangeLength {@code BYTERANGE-LENGTH}: how many; to the end when absent
 */
public record PreloadHint(Type type, String uri, Optional<Long> byteRangeStart,
    Optional<Long> byteRangeLength) {

  /** What a hint points at. */
  public enum Type {
    /** A partial segment ({@code TYPE=PART}). */
    PART,
    /** An initialization section ({@code TYPE=MAP}). */
    MAP
  }

  public PreloadHint {
    Objects.requireNonNull(type, "type");
    Checks.quotable(Checks.uri(uri, "preload hint URI"), "preload hint URI");
    Objects.requireNonNull(byteRangeStart, "byteRangeStart").ifPresent(s -> {
      if (s < 0) {
        throw new IllegalArgumentException("BYTERANGE-START must not be negative: " + s);
      }
    });
    Objects.requireNonNull(byteRangeLength, "byteRangeLength").ifPresent(l -> {
      if (l < 1) {
        throw new IllegalArgumentException("BYTERANGE-LENGTH must be at least 1: " + l);
      }
    });
  }

  /** A hint of the whole next part at {@code uri}. */
  public static PreloadHint part(String uri) {
    return new PreloadHint(Type.PART, uri, Optional.empty(), Optional.empty());
  }
}
