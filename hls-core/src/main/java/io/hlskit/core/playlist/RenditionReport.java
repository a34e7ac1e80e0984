package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-RENDITION-REPORT} (HLS 2nd edition 4.4.5.4): where another rendition's playlist
 * ends, so that a player switching to it can ask for its next part at once.
 *
 * @param uri the other rendition's media playlist, relative to this one
 * @param lastMsn {@code LAST-MSN}: the media sequence number of its last segment
 * @param lastPart {@code LAST-PART}: the index of its last part (of segment {@code lastMsn})
 */
public record RenditionReport(String uri, Optional<Long> lastMsn, Optional<Long> lastPart) {

  public RenditionReport {
    Checks.quotable(Checks.uri(uri, "rendition report URI"), "rendition report URI");
    Objects.requireNonNull(lastMsn, "lastMsn").ifPresent(n -> {
      if (n < 0) {
        throw new IllegalArgumentException("LAST-MSN must not be negative: " + n);
      }
    });
    Objects.requireNonNull(lastPart, "lastPart").ifPresent(n -> {
      if (n < 0) {
        throw new IllegalArgumentException("LAST-PART must not be negative: " + n);
      }
    });
    if (lastPart.isPresent() && lastMsn.isEmpty()) {
      throw new IllegalArgumentException("LAST-PART needs LAST-MSN, the segment it counts in");
    }
  }

  /** A report that rendition {@code uri} ends with part {@code lastPart} of segment {@code lastMsn}. */
  public static RenditionReport of(String uri, long lastMsn, long lastPart) {
    return new RenditionReport(uri, Optional.of(lastMsn), Optional.of(lastPart));
  }
}
