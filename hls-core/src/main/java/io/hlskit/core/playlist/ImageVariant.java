package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-IMAGE-STREAM-INF}: an images-only media playlist of thumbnails for scrubbing, as
 * Apple's and Roku's image media playlists define it.
 *
 * @param uri its image media playlist ({@code URI} attribute)
 * @param bandwidth {@code BANDWIDTH} in bits per second
 * @param averageBandwidth {@code AVERAGE-BANDWIDTH} in bits per second
 * @param codecs {@code CODECS}, as {@code jpeg}
 * @param resolution {@code RESOLUTION}: the size of one thumbnail
 * @param video {@code VIDEO} group id
 * @param otherAttributes attributes hlskit does not model, with their values as written
 */
public record ImageVariant(
    String uri,
    long bandwidth,
    Optional<Long> averageBandwidth,
    List<String> codecs,
    Optional<Resolution> resolution,
    Optional<String> video,
    Map<String, String> otherAttributes) {

  static final List<String> MODELLED = List.of("URI", "BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS",
      "RESOLUTION", "VIDEO");

  public ImageVariant {
    Checks.quotable(Checks.uri(uri, "image playlist URI"), "URI");
    Checks.notNegative(bandwidth, "BANDWIDTH");
    Objects.requireNonNull(averageBandwidth, "averageBandwidth")
        .ifPresent(b -> Checks.notNegative(b, "AVERAGE-BANDWIDTH"));
    codecs = Codecs.check(codecs);
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(video, "video").ifPresent(v -> Checks.quotable(v, "VIDEO"));
    otherAttributes = OtherAttributes.check(otherAttributes, MODELLED);
  }

  /** An image variant with the attributes players read: bandwidth, codecs and resolution. */
  public static ImageVariant of(String uri, long bandwidth, List<String> codecs,
      Resolution resolution) {
    return new ImageVariant(uri, bandwidth, Optional.empty(), codecs,
        Optional.ofNullable(resolution), Optional.empty(), Map.of());
  }
}
