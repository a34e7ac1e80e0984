package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-I-FRAME-STREAM-INF}: a media playlist of the I-frames of a variant, for trick play.
 *
 * @param uri its I-frame media playlist ({@code URI} attribute)
 * @param bandwidth {@code BANDWIDTH} in bits per second
 * @param averageBandwidth {@code AVERAGE-BANDWIDTH} in bits per second
 * @param codecs {@code CODECS}
 * @param resolution {@code RESOLUTION}
 * @param hdcpLevel {@code HDCP-LEVEL}
 * @param video {@code VIDEO} group id
 * @param otherAttributes attributes hlskit does not model, with their values as written
 */
public record IFrameVariant(
    String uri,
    long bandwidth,
    Optional<Long> averageBandwidth,
    List<String> codecs,
    Optional<Resolution> resolution,
    Optional<String> hdcpLevel,
    Optional<String> video,
    Map<String, String> otherAttributes) {

  static final List<String> MODELLED = List.of("URI", "BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS",
      "RESOLUTION", "HDCP-LEVEL", "VIDEO");

  public IFrameVariant {
    Checks.quotable(Checks.uri(uri, "I-frame playlist URI"), "URI");
    Checks.notNegative(bandwidth, "BANDWIDTH");
    Objects.requireNonNull(averageBandwidth, "averageBandwidth")
        .ifPresent(b -> Checks.notNegative(b, "AVERAGE-BANDWIDTH"));
    codecs = Codecs.check(codecs);
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(hdcpLevel, "hdcpLevel").ifPresent(v -> Checks.enumerated(v, "HDCP-LEVEL"));
    Objects.requireNonNull(video, "video").ifPresent(v -> Checks.quotable(v, "VIDEO"));
    otherAttributes = OtherAttributes.check(otherAttributes, MODELLED);
  }

  /** An I-frame variant with only the required attributes. */
  public static IFrameVariant of(String uri, long bandwidth, List<String> codecs,
      Resolution resolution) {
    return new IFrameVariant(uri, bandwidth, Optional.empty(), codecs,
        Optional.ofNullable(resolution), Optional.empty(), Optional.empty(), Map.of());
  }
}
