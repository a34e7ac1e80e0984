package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-STREAM-INF} and its URI: one variant stream of a {@link MultivariantPlaylist}.
 *
 * @param uri the variant's media playlist
 * @param bandwidth {@code BANDWIDTH}, the peak segment bit rate in bits per second
 * @param averageBandwidth {@code AVERAGE-BANDWIDTH} in bits per second
 * @param codecs {@code CODECS}, for example {@code avc1.64001f} and {@code mp4a.40.2}
 * @param resolution {@code RESOLUTION}
 * @param frameRate {@code FRAME-RATE}, kept without trailing zeros
 * @param hdcpLevel {@code HDCP-LEVEL} ({@code TYPE-0}, {@code TYPE-1} or {@code NONE})
 * @param audio {@code AUDIO}, the group id of its audio renditions
 * @param video {@code VIDEO}, the group id of its video renditions
 * @param subtitles {@code SUBTITLES}, the group id of its subtitle renditions
 * @param closedCaptions {@code CLOSED-CAPTIONS}, a group id or {@code NONE}
 * @param otherAttributes attributes hlskit does not model, by name, with their values as written
 *     (quoted-strings keep their quotes)
 */
public record Variant(
    String uri,
    long bandwidth,
    Optional<Long> averageBandwidth,
    List<String> codecs,
    Optional<Resolution> resolution,
    Optional<BigDecimal> frameRate,
    Optional<String> hdcpLevel,
    Optional<String> audio,
    Optional<String> video,
    Optional<String> subtitles,
    Optional<String> closedCaptions,
    Map<String, String> otherAttributes) {

  static final List<String> MODELLED = List.of("BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS",
      "RESOLUTION", "FRAME-RATE", "HDCP-LEVEL", "AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS");

  public Variant {
    Checks.uri(uri, "variant URI");
    Checks.notNegative(bandwidth, "BANDWIDTH");
    Objects.requireNonNull(averageBandwidth, "averageBandwidth")
        .ifPresent(b -> Checks.notNegative(b, "AVERAGE-BANDWIDTH"));
    codecs = Codecs.check(codecs);
    Objects.requireNonNull(resolution, "resolution");
    frameRate = FrameRates.normalize(frameRate);
    Objects.requireNonNull(hdcpLevel, "hdcpLevel").ifPresent(v -> Checks.enumerated(v, "HDCP-LEVEL"));
    Objects.requireNonNull(audio, "audio").ifPresent(v -> Checks.quotable(v, "AUDIO"));
    Objects.requireNonNull(video, "video").ifPresent(v -> Checks.quotable(v, "VIDEO"));
    Objects.requireNonNull(subtitles, "subtitles").ifPresent(v -> Checks.quotable(v, "SUBTITLES"));
    Objects.requireNonNull(closedCaptions, "closedCaptions")
        .ifPresent(v -> Checks.quotable(v, "CLOSED-CAPTIONS"));
    otherAttributes = OtherAttributes.check(otherAttributes, MODELLED);
  }

  /** A builder for a variant at {@code uri} with a peak bit rate of {@code bandwidth} b/s. */
  public static Builder builder(String uri, long bandwidth) {
    return new Builder(uri, bandwidth);
  }

  /** Builds a {@link Variant}; not thread-safe. */
  public static final class Builder {
    private final String uri;
    private final long bandwidth;
    private Optional<Long> averageBandwidth = Optional.empty();
    private List<String> codecs = List.of();
    private Optional<Resolution> resolution = Optional.empty();
    private Optional<BigDecimal> frameRate = Optional.empty();
    private Optional<String> hdcpLevel = Optional.empty();
    private Optional<String> audio = Optional.empty();
    private Optional<String> video = Optional.empty();
    private Optional<String> subtitles = Optional.empty();
    private Optional<String> closedCaptions = Optional.empty();
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    private Builder(String uri, long bandwidth) {
      this.uri = uri;
      this.bandwidth = bandwidth;
    }

    public Builder averageBandwidth(long averageBandwidth) {
      this.averageBandwidth = Optional.of(averageBandwidth);
      return this;
    }

    public Builder codecs(String... codecs) {
      this.codecs = List.of(codecs);
      return this;
    }

    public Builder codecs(List<String> codecs) {
      this.codecs = List.copyOf(codecs);
      return this;
    }

    public Builder resolution(int width, int height) {
      this.resolution = Optional.of(new Resolution(width, height));
      return this;
    }

    public Builder resolution(Resolution resolution) {
      this.resolution = Optional.ofNullable(resolution);
      return this;
    }

    public Builder frameRate(BigDecimal frameRate) {
      this.frameRate = Optional.ofNullable(frameRate);
      return this;
    }

    public Builder frameRate(double frameRate) {
      return frameRate(BigDecimal.valueOf(frameRate));
    }

    public Builder hdcpLevel(String hdcpLevel) {
      this.hdcpLevel = Optional.ofNullable(hdcpLevel);
      return this;
    }

    public Builder audio(String groupId) {
      this.audio = Optional.ofNullable(groupId);
      return this;
    }

    public Builder video(String groupId) {
      this.video = Optional.ofNullable(groupId);
      return this;
    }

    public Builder subtitles(String groupId) {
      this.subtitles = Optional.ofNullable(groupId);
      return this;
    }

    public Builder closedCaptions(String groupIdOrNone) {
      this.closedCaptions = Optional.ofNullable(groupIdOrNone);
      return this;
    }

    public Builder otherAttribute(String name, String valueAsWritten) {
      otherAttributes.put(name, valueAsWritten);
      return this;
    }

    public Variant build() {
      return new Variant(uri, bandwidth, averageBandwidth, codecs, resolution, frameRate,
          hdcpLevel, audio, video, subtitles, closedCaptions, otherAttributes);
    }
  }
}
