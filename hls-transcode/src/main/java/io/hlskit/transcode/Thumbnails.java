package io.hlskit.transcode;

import java.time.Duration;
import java.util.Objects;

/**
 * Thumbnails for scrubbing (trick play), made from the same decode as the renditions: one
 * picture every {@code interval}, {@code longSide} pixels on its long side, laid out {@code
 * columns x rows} to a JPEG tile sheet. A channel gets them twice over, in {@code thumbnails/}:
 * as an image media playlist ({@code index.m3u8}: {@code EXT-X-IMAGES-ONLY} with {@code
 * EXT-X-TILES}, listed in a multivariant playlist by {@code EXT-X-IMAGE-STREAM-INF}, as Roku's
 * and Apple's players read it) and as a WebVTT track ({@code thumbnails.vtt}, cues such as
 * {@code tiles-00000.jpg#xywh=320,0,320,180}, as web players read it), which {@code
 * channel.json} names.
 *
 * @param longSide the long side of each thumbnail in pixels, 64 to 1280; the short side keeps
 *     the picture's display aspect
 * @param interval the time between two thumbnails, 1 s to 10 min
 * @param columns thumbnails across a sheet, 1 to 20
 * @param rows thumbnails down a sheet, 1 to 20
 */
public record Thumbnails(int longSide, Duration interval, int columns, int rows) {
  /** 320 px, one every 10 s, 10 x 10 to a sheet (16 min 40 s of video a sheet). */
  public static final Thumbnails DEFAULT = new Thumbnails(320, Duration.ofSeconds(10), 10, 10);

  public Thumbnails {
    if (longSide < 64 || longSide > 1280) {
      throw new IllegalArgumentException("thumbnails must be 64 to 1280 px on their long side: "
          + longSide);
    }
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("the time between thumbnails must be 1 s to 10 min: "
          + interval);
    }
    if (columns < 1 || columns > 20 || rows < 1 || rows > 20) {
      throw new IllegalArgumentException("a tile sheet must be 1 to 20 thumbnails across and"
          + " down: " + columns + "x" + rows);
    }
  }

  /** These thumbnails, one every {@code interval}. */
  public Thumbnails every(Duration interval) {
    return new Thumbnails(longSide, interval, columns, rows);
  }
}
