package io.hlskit.transcode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The renditions to make from one decode of the input: one, or several for adaptive bitrate. In a
 * ladder of several, a rendition larger than the source is left out (never upscaled, and said in
 * the log); a single rendition on a smaller source keeps the source's size.
 *
 * <pre>{@code
 * Ladder.ABR                                        // 360p, 720p, 1080p: the named profiles
 * Ladder.parse("1080p:4500k,540p:1200k,240p:300k")  // your own
 * Ladder.of(Rendition.builder(2160, 12_000_000).encoder(VideoEncoder.X265).build(),
 *     Profile.HIGH.rendition())
 * }</pre>
 *
 * <p>The sound is encoded once for the whole ladder, so every rendition carries the same AAC:
 * players switching renditions then never hear a seam.
 *
 * <p>{@link #SOURCE} re-encodes nothing: the input's H.264 or HEVC video and its audio are
 * remuxed into segments cut at the source's own keyframes.
 *
 * @param renditions the renditions, lowest first (by short side, then bit rate); empty for
 *     {@link #SOURCE}; no two with one {@linkplain Rendition#folderName folder name}
 * @param remux whether the input is copied as it is instead of encoded
 * @param audioBitrate the AAC bit rate of every rendition, 32 to 512 kb/s
 */
public record Ladder(List<Rendition> renditions, boolean remux, long audioBitrate) {
  /** The AAC bit rate of the named profiles. */
  public static final long DEFAULT_AUDIO_BITRATE = 128_000;

  /** low, medium and high from one decode, keyframes aligned: adaptive bitrate. */
  public static final Ladder ABR = of(Profile.LOW, Profile.MEDIUM, Profile.HIGH);

  /** The input as it is, no re-encoding: segments cut at its keyframes. */
  public static final Ladder SOURCE = new Ladder(List.of(), true, DEFAULT_AUDIO_BITRATE);

  /** A ladder that encodes {@code renditions}, with 128 kb/s AAC. */
  public Ladder(List<Rendition> renditions) {
    this(renditions, false, DEFAULT_AUDIO_BITRATE);
  }

  public Ladder {
    Objects.requireNonNull(renditions, "renditions");
    if (remux && !renditions.isEmpty()) {
      throw new IllegalArgumentException("a remux makes no encoded renditions");
    }
    if (!remux && renditions.isEmpty()) {
      throw new IllegalArgumentException("the ladder is empty: give at least one rendition,"
          + " as 720p:1500k");
    }
    Set<String> names = new HashSet<>();
    for (Rendition r : renditions) {
      if (!names.add(r.folderName())) {
        throw new IllegalArgumentException("two renditions are named " + r.folderName()
            + ": give one of them another height or a name of its own");
      }
    }
    if (audioBitrate < 32_000 || audioBitrate > 512_000) {
      throw new IllegalArgumentException("the audio bit rate " + audioBitrate / 1000
          + "k must be 32k to 512k");
    }
    renditions = renditions.stream().sorted(Comparator.comparingInt(Rendition::shortSide)
        .thenComparingLong(Rendition::videoBitrate)).toList();
  }

  /** A ladder of the given profiles. */
  public static Ladder of(Profile... profiles) {
    return new Ladder(Arrays.stream(profiles).map(Profile::rendition).toList());
  }

  /** A ladder of the given renditions. */
  public static Ladder of(Rendition... renditions) {
    return new Ladder(Arrays.asList(renditions));
  }

  /** This ladder with AAC at {@code bitsPerSecond}. */
  public Ladder withAudioBitrate(long bitsPerSecond) {
    return new Ladder(renditions, remux, bitsPerSecond);
  }

  /**
   * This ladder encoded for quality per bit: each rendition at a constant-quality target
   * ({@link Rendition#autoQuality}: CRF 24 up to 480p, 25 up to 720p, 26 above) with its bit
   * rate as a ceiling (the max rate; the buffer stays). Easy pictures (slides, talking heads,
   * animation) then cost far fewer bits and hard ones no more than the bit rate, at about the
   * same quality: see {@code benchmarks/README.md}. Renditions with a quality target of their
   * own keep it; a remux is returned as it is. OpenH264 has no constant-quality mode and keeps
   * to the bit rate.
   */
  public Ladder withAutoQuality() {
    if (remux) {
      return this;
    }
    return new Ladder(renditions.stream().map(r -> r.quality().isPresent() ? r
        : r.toBuilder().quality(Rendition.autoQuality(r.shortSide()))
            .maxRate(r.videoBitrate()).build()).toList(), false, audioBitrate);
  }

  /** Whether this ladder makes several renditions (and a multivariant playlist). */
  public boolean isAdaptive() {
    return renditions.size() > 1;
  }

  /**
   * A named ladder ({@code low}, {@code medium}, {@code high}, {@code abr} or {@code source}),
   * or renditions of your own separated by commas: {@code 1080p:4500k,540p:1200k,240p:300k}
   * (each the height in pixels and the video bit rate in kb/s; see {@link Rendition#parse}).
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static Ladder parse(String spec) {
    String n = spec.trim().toLowerCase(Locale.ROOT);
    if (n.equals("abr")) {
      return ABR;
    }
    if (n.equals("source")) {
      return SOURCE;
    }
    if (n.isEmpty()) {
      return new Ladder(List.of()); // refused, saying how to write one
    }
    if (n.indexOf(':') < 0) {
      try {
        return of(Profile.of(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown profile '" + spec
            + "': use low (360p), medium (720p), high (1080p), abr (all three), source (no"
            + " re-encoding) or a ladder of your own as 1080p:4500k,540p:1200k");
      }
    }
    List<Rendition> renditions = new ArrayList<>();
    for (String part : n.split(",", -1)) {
      try {
        renditions.add(Rendition.parse(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ladder '" + spec + "': " + e.getMessage(), e);
      }
    }
    try {
      return new Ladder(renditions);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ladder '" + spec + "': " + e.getMessage(), e);
    }
  }

  /** {@code source}, or the renditions as {@link #parse} reads them. */
  @Override
  public String toString() {
    if (remux) {
      return "source";
    }
    return renditions.stream().map(Rendition::toString).collect(Collectors.joining(","))
        + (audioBitrate == DEFAULT_AUDIO_BITRATE ? "" : " audio " + audioBitrate / 1000 + "k");
  }
}
