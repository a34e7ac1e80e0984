package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-MAP}: the Media Initialization Section (for fMP4, the {@code init.mp4}) that the
 * segments after it need.
 *
 * @param uri where the section is
 * @param byteRange the part of that resource, when not the whole
 */
public record InitializationSection(String uri, Optional<ByteRange> byteRange) {
  public InitializationSection {
    Checks.quotable(Checks.uri(uri, "EXT-X-MAP URI"), "EXT-X-MAP URI");
    Objects.requireNonNull(byteRange, "byteRange");
  }

  /** The whole resource at {@code uri}. */
  public static InitializationSection of(String uri) {
    return new InitializationSection(uri, Optional.empty());
  }
}
