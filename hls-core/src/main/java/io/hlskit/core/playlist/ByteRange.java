package io.hlskit.core.playlist;

import java.util.Objects;
import java.util.Optional;

/**
 * A sub-range of a resource, as in {@code EXT-X-BYTERANGE:<length>[@<offset>]} and the
 * {@code BYTERANGE} attribute of {@code EXT-X-MAP}.
 *
 * @param length the number of bytes, at least 1
 * @param offset the first byte; absent means "right after the previous segment's sub-range of the
 *     same resource", which {@link MediaPlaylist} checks is meaningful
 */
public record ByteRange(long length, Optional<Long> offset) {
  public ByteRange {
    if (length < 1) {
      throw new IllegalArgumentException("byte range length must be at least 1: " + length);
    }
    Objects.requireNonNull(offset, "offset");
    offset.ifPresent(o -> {
      if (o < 0) {
        throw new IllegalArgumentException("byte range offset must not be negative: " + o);
      }
    });
  }

  /** {@code length} bytes starting at {@code offset}. */
  public static ByteRange of(long length, long offset) {
    return new ByteRange(length, Optional.of(offset));
  }

  /** {@code length} bytes following the previous segment's sub-range. */
  public static ByteRange following(long length) {
    return new ByteRange(length, Optional.empty());
  }

  /** The RFC 8216 text form, {@code <length>[@<offset>]}. */
  @Override
  public String toString() {
    return offset.map(o -> length + "@" + o).orElse(Long.toString(length));
  }
}
