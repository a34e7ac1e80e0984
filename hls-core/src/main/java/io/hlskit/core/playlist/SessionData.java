package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-SESSION-DATA}: arbitrary data carried by a multivariant playlist, either inline
 * ({@code VALUE}) or by reference ({@code URI}), never both.
 *
 * @param dataId {@code DATA-ID}, by convention a reverse-DNS name such as {@code com.example.title}
 * @param value {@code VALUE}
 * @param uri {@code URI} of a JSON document
 * @param language {@code LANGUAGE}
 */
public record SessionData(
    String dataId, Optional<String> value, Optional<String> uri, Optional<String> language) {
  public SessionData {
    Checks.quotable(dataId, "DATA-ID");
    if (dataId.isEmpty()) {
      throw new IllegalArgumentException("DATA-ID must not be empty");
    }
    Objects.requireNonNull(value, "value").ifPresent(v -> Checks.quotable(v, "VALUE"));
    Objects.requireNonNull(uri, "uri").ifPresent(u -> Checks.quotable(Checks.uri(u, "URI"), "URI"));
    Objects.requireNonNull(language, "language").ifPresent(v -> Checks.quotable(v, "LANGUAGE"));
    if (value.isPresent() == uri.isPresent()) {
      throw new IllegalArgumentException(
          "EXT-X-SESSION-DATA " + dataId + " needs exactly one of VALUE and URI");
    }
  }

  /** Inline data. */
  public static SessionData value(String dataId, String value) {
    return new SessionData(dataId, Optional.of(value), Optional.empty(), Optional.empty());
  }
}
