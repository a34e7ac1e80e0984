package io.hlskit.transcode;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rendition of a {@link Ladder}: the size of its picture and how its video is encoded. Build
 * one with {@link #builder}, or read one from {@code 1080p:4500k} with {@link #parse}; the named
 * {@link Profile}s are presets of this.
 *
 * <p>Sizes name the short side of the picture (a 720p rendition is 1280x720 for a landscape
 * source and 720x1280 for a portrait one) and keep the source's display aspect.
 *
 * @param name the rendition's folder in the channel; empty to name it by the short side of the
 *     picture made ({@code 720p}), which is what players and people read best
 * @param shortSide the short side of the picture in pixels, 144 to 4320
 * @param videoBitrate the video bit rate in bits per second, 50 kb/s to 50 Mb/s; with a {@code
 *     quality} target, the average it is expected to stay under
 * @param maxRate the most the video may spend over any buffer's worth of time, bits per second
 * @param bufferSize the decoder buffer the rate is held to, in bits
 * @param quality a constant-quality target (the encoder's CRF, 0 to 51, lower is better) capped
 *     by {@code maxRate}; empty for the bit rate alone
 * @param encoder which video encoder makes it
 * @param preset the encoder's speed preset ({@code ultrafast} to {@code veryslow}); slower spends
 *     fewer bits for the same picture; OpenH264 has none and ignores it
 */
public record Rendition(Optional<String> name, int shortSide, long videoBitrate, long maxRate,
    long bufferSize, OptionalInt quality, VideoEncoder encoder, String preset) {
  /** The smallest short side a rendition may have. */
  public static final int MIN_SHORT_SIDE = 144;
  /** The largest short side a rendition may have (8K). */
  public static final int MAX_SHORT_SIDE = 4320;
  /** The lowest video bit rate, bits per second. */
  public static final long MIN_BITRATE = 50_000;
  /** The highest video bit rate, bits per second. */
  public static final long MAX_BITRATE = 50_000_000;

  /** The presets libx264 and libx265 share, fastest first. */
  public static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast",
      "faster", "fast", "medium", "slow", "slower", "veryslow");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  /** Folder names a channel uses for other things than renditions. */
  private static final Set<String> RESERVED = Set.of(Transcoder.AUDIO_ONLY, "keys",
      "thumbnails");
  private static final Pattern SPEC = Pattern.compile("(\\d{1,5})p:(\\d{1,6})k");

  public Rendition {
    Objects.requireNonNull(name, "name");
    name.ifPresent(n -> {
      if (!NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("rendition name '" + n + "': use 1 to 32 lower-case"
            + " letters, digits, '-' or '_', starting with a letter or digit");
      }
      if (RESERVED.contains(n)) {
        throw new IllegalArgumentException("rendition name '" + n + "' is kept for the"
            + " channel's " + n + " folder: choose another");
      }
    });
    if (shortSide < MIN_SHORT_SIDE || shortSide > MAX_SHORT_SIDE) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: the height (the short"
          + " side of the picture) must be " + MIN_SHORT_SIDE + " to " + MAX_SHORT_SIDE);
    }
    if (videoBitrate < MIN_BITRATE || videoBitrate > MAX_BITRATE) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: the video bit rate "
          + videoBitrate / 1000 + "k must be " + MIN_BITRATE / 1000 + "k to "
          + MAX_BITRATE / 1000 + "k");
    }
    if (maxRate < videoBitrate || maxRate > 2 * MAX_BITRATE) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: the max rate "
          + maxRate / 1000 + "k must be at least the bit rate (" + videoBitrate / 1000
          + "k) and at most " + 2 * MAX_BITRATE / 1000 + "k");
    }
    if (bufferSize < maxRate / 10 || bufferSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: the buffer size "
          + bufferSize / 1000 + "k must hold at least a tenth of a second at the max rate ("
          + maxRate / 10_000 + "k) and at most " + Integer.MAX_VALUE / 1000 + "k");
    }
    Objects.requireNonNull(quality, "quality");
    if (quality.isPresent() && (quality.getAsInt() < 0 || quality.getAsInt() > 51)) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: the quality target "
          + quality.getAsInt() + " must be 0 to 51 (CRF; lower is better, 23 is libx264's"
          + " default)");
    }
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(preset, "preset");
    if (!PRESETS.contains(preset)) {
      throw new IllegalArgumentException("rendition " + shortSide + "p: unknown preset '"
          + preset + "': use one of ultrafast, superfast, veryfast, faster, fast, medium, slow,"
          + " slower, veryslow");
    }
  }

  /**
   * A rendition of {@code shortSide} pixels at {@code videoBitrate} bits per second, with the
   * defaults of the named profiles: max rate 1.5 times the bit rate, a buffer of two seconds at
   * the bit rate, the transcoder's H.264 encoder, preset {@code fast}.
   */
  public static Builder builder(int shortSide, long videoBitrate) {
    return new Builder(shortSide, videoBitrate);
  }

  /**
   * The rendition a spec such as {@code 1080p:4500k} names: the short side, {@code p}, a colon,
   * the video bit rate in kb/s, {@code k}; the profiles' defaults otherwise.
   *
   * @throws IllegalArgumentException naming what in the spec is wrong
   */
  public static Rendition parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    Matcher m = SPEC.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("rendition '" + spec + "': write the height in pixels"
          + " and the video bit rate in kb/s, as 1080p:4500k");
    }
    return builder(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)) * 1000).build();
  }

  /**
   * The constant-quality target {@link Ladder#withAutoQuality} gives a rendition of {@code
   * shortSide} pixels: CRF 24 up to 480p, 25 up to 720p, 26 above. Small pictures get the
   * lower (better) targets: each of their pixels covers more of the screen, so their losses
   * show more. Chosen on an easy and a hard clip against the named profiles' fixed bit rates
   * (libav's SSIM within 0.003 of theirs); see {@code benchmarks/README.md}.
   */
  public static int autoQuality(int shortSide) {
    return shortSide <= 480 ? 24 : shortSide <= 720 ? 25 : 26;
  }

  /** A builder that starts from this rendition. */
  public Builder toBuilder() {
    Builder b = builder(shortSide, videoBitrate).maxRate(maxRate).bufferSize(bufferSize)
        .encoder(encoder).preset(preset);
    name.ifPresent(b::name);
    quality.ifPresent(b::quality);
    return b;
  }

  /** The folder name this rendition asks for: its name, or its short side as {@code 720p}. */
  public String folderName() {
    return name.orElse(shortSide + "p");
  }

  /** {@code 720p:1500k}, with whatever differs from the defaults after it. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    name.ifPresent(n -> s.append(n).append('='));
    s.append(shortSide).append("p:").append(videoBitrate / 1000).append('k');
    if (maxRate != videoBitrate * 3 / 2) {
      s.append(" max ").append(maxRate / 1000).append('k');
    }
    if (bufferSize != videoBitrate * 2) {
      s.append(" buffer ").append(bufferSize / 1000).append('k');
    }
    quality.ifPresent(q -> s.append(" crf ").append(q));
    if (encoder != VideoEncoder.H264) {
      s.append(' ').append(encoder.name().toLowerCase(Locale.ROOT));
    }
    if (!preset.equals("fast")) {
      s.append(' ').append(preset);
    }
    return s.toString();
  }

  /** Builds a {@link Rendition}; not thread-safe. */
  public static final class Builder {
    private final int shortSide;
    private final long videoBitrate;
    private String name;
    private Long maxRate;
    private Long bufferSize;
    private Integer quality;
    private VideoEncoder encoder = VideoEncoder.H264;
    private String preset = "fast";

    private Builder(int shortSide, long videoBitrate) {
      this.shortSide = shortSide;
      this.videoBitrate = videoBitrate;
    }

    /** The rendition's folder name; by default its short side, as {@code 720p}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The peak rate, bits per second; 1.5 times the bit rate by default. */
    public Builder maxRate(long bitsPerSecond) {
      this.maxRate = bitsPerSecond;
      return this;
    }

    /** The rate-control buffer in bits; two seconds at the bit rate by default. */
    public Builder bufferSize(long bits) {
      this.bufferSize = bits;
      return this;
    }

    /**
     * Encodes at a constant quality (CRF, 0 to 51, lower is better) capped by the max rate,
     * instead of at the bit rate: easy pictures then cost fewer bits. libx264 and libx265 only;
     * OpenH264 keeps to the bit rate.
     */
    public Builder quality(int crf) {
      this.quality = crf;
      return this;
    }

    /** The video encoder; {@link VideoEncoder#H264} (the transcoder's) by default. */
    public Builder encoder(VideoEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /** The encoder's speed preset; {@code fast} by default. */
    public Builder preset(String preset) {
      this.preset = preset;
      return this;
    }

    public Rendition build() {
      long max = maxRate != null ? maxRate : videoBitrate * 3 / 2;
      return new Rendition(Optional.ofNullable(name), shortSide, videoBitrate, max,
          bufferSize != null ? bufferSize : videoBitrate * 2,
          quality == null ? OptionalInt.empty() : OptionalInt.of(quality), encoder, preset);
    }
  }
}
