package io.hlskit.core.playlist;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * {@code EXT-X-TILES}: how an image segment of an {@linkplain MediaPlaylist#imagesOnly images-only
 * playlist} is cut into thumbnails (Apple's and Roku's image media playlists): a grid of {@code
 * layout} pictures of {@code resolution} each, read left to right and top to bottom, each
 * standing for {@code duration} of the presentation.
 *
 * @param resolution {@code RESOLUTION}: the size of one thumbnail
 * @param layout {@code LAYOUT}: columns x rows of the grid, written as a resolution ({@code 10x10})
 * @param duration {@code DURATION}: how long each thumbnail stands for
 * @param otherAttributes attributes hlskit does not model, with their values as written
 */
public record Tiles(Resolution resolution, Resolution layout, Duration duration,
    Map<String, String> otherAttributes) {
  static final java.util.List<String> MODELLED = java.util.List.of("RESOLUTION", "LAYOUT",
      "DURATION");

  public Tiles {
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()
        || duration.compareTo(MediaSegment.MAX_DURATION) > 0) {
      throw new IllegalArgumentException("EXT-X-TILES DURATION must be positive and at most "
          + MediaSegment.MAX_DURATION + ": " + duration);
    }
    otherAttributes = OtherAttributes.check(otherAttributes, MODELLED);
  }

  /** Thumbnails of {@code resolution} in a grid of {@code columns} x {@code rows}. */
  public static Tiles of(Resolution resolution, int columns, int rows, Duration duration) {
    return new Tiles(resolution, new Resolution(columns, rows), duration, Map.of());
  }

  /** How many thumbnails the grid holds. */
  public int count() {
    return layout.width() * layout.height();
  }
}
