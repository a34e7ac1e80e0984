package io.hlskit.transcode;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The renditions to make from one decode of the input: one {@link Profile}, or several for
 * adaptive bitrate. In a ladder of several, a rendition larger than the source is dropped (never
 * upscaled); a single profile on a smaller source keeps the source's size.
 *
 * <p>{@link #SOURCE} re-encodes nothing: the input's H.264 or HEVC video and its audio are
 * remuxed into segments cut at the source's own keyframes.
 *
 * @param profiles the renditions, lowest first; empty for {@link #SOURCE}
 * @param remux whether the input is copied as it is instead of encoded
 */
public record Ladder(List<Profile> profiles, boolean remux) {
  /** low, medium and high from one decode, keyframes aligned: adaptive bitrate. */
  public static final Ladder ABR =
      new Ladder(List.of(Profile.LOW, Profile.MEDIUM, Profile.HIGH), false);

  /** The input as it is, no re-encoding: segments cut at its keyframes. */
  public static final Ladder SOURCE = new Ladder(List.of(), true);

  /** A ladder that encodes {@code profiles}. */
  public Ladder(List<Profile> profiles) {
    this(profiles, false);
  }

  public Ladder {
    if (profiles.isEmpty() != remux) {
      throw new IllegalArgumentException(remux ? "a remux makes no encoded renditions"
          : "a ladder needs at least one profile");
    }
    profiles = profiles.stream().distinct().sorted(Comparator.comparingInt(Profile::shortSide))
        .toList();
  }

  /** A ladder of the given profiles. */
  public static Ladder of(Profile... profiles) {
    return new Ladder(Arrays.asList(profiles));
  }

  /** Whether this ladder makes several renditions (and a multivariant playlist). */
  public boolean isAdaptive() {
    return profiles.size() > 1;
  }

  /** {@code low}, {@code medium}, {@code high}, {@code abr} or {@code source}. */
  public static Ladder parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("abr")) {
      return ABR;
    }
    if (n.equals("source")) {
      return SOURCE;
    }
    try {
      return of(Profile.of(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown profile '" + name
          + "': use low (360p), medium (720p), high (1080p), abr (all three) or source (no"
          + " re-encoding)");
    }
  }
}
