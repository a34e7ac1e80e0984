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
 * @param profiles the renditions, lowest first
 */
public record Ladder(List<Profile> profiles) {
  /** low, medium and high from one decode, keyframes aligned: the seed's future work. */
  public static final Ladder ABR = new Ladder(List.of(Profile.LOW, Profile.MEDIUM, Profile.HIGH));

  public Ladder {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("a ladder needs at least one profile");
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

  /** {@code low}, {@code medium}, {@code high} or {@code abr}. */
  public static Ladder parse(String name) {
    if (name.trim().toLowerCase(Locale.ROOT).equals("abr")) {
      return ABR;
    }
    try {
      return of(Profile.of(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown profile '" + name
          + "': use low (360p), medium (720p), high (1080p) or abr (all three)");
    }
  }
}
