package io.hlskit.transcode;

import io.hlskit.core.playlist.ImageVariant;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.playlist.Tiles;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.transcode.internal.EncodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A channel's thumbnails for scrubbing, from the tile sheets a transcode made: the sheets, an
 * image media playlist for HLS players (Roku, Apple) and a WebVTT track for web players, all in
 * {@code thumbnails/}.
 */
final class ThumbnailTracks {
  private ThumbnailTracks() {}

  /** The folder of a channel's thumbnails. */
  static final String FOLDER = "thumbnails";
  /** The image media playlist, relative to the channel. */
  static final String PLAYLIST = FOLDER + "/index.m3u8";
  /** The WebVTT track, relative to the channel: what {@code channel.json} names. */
  static final String VTT = FOLDER + "/thumbnails.vtt";

  /**
   * Moves the sheets into {@code draft} and writes the playlist and the track; returns the
   * variant that lists the playlist in a multivariant playlist.
   *
   * @param total how long the channel plays: the last thumbnail stands until then
   */
  static ImageVariant write(EncodeResult.Thumbnails t, ChannelDraft draft, Duration total)
      throws IOException {
    Duration each = Duration.ofNanos(Math.round(t.intervalSeconds() * 1e9));
    Resolution size = new Resolution(t.width(), t.height());
    MediaPlaylist.Builder playlist = MediaPlaylist.builder().playlistType(PlaylistType.VOD)
        .imagesOnly(true).endList(true);
    StringBuilder vtt = new StringBuilder("WEBVTT\n");
    BitRates rates = new BitRates();
    int index = 0; // of the thumbnail, across sheets
    for (EncodeResult.Sheet sheet : t.sheets()) {
      String name = sheet.file().getFileName().toString();
      long sheetBytes = Files.size(sheet.file());
      Duration start = each.multipliedBy(index);
      Duration end = min(each.multipliedBy(index + sheet.count()), total);
      Duration lasts = end.compareTo(start) > 0 ? end.minus(start) : each;
      rates.add(sheetBytes, lasts);
      playlist.addSegment(MediaSegment.builder(name, lasts)
          .tiles(Tiles.of(size, sheet.columns(), sheet.rows(), each)).build());
      for (int k = 0; k < sheet.count(); k++, index++) {
        Duration from = each.multipliedBy(index);
        Duration to = min(from.plus(each), total);
        if (to.compareTo(from) <= 0) {
          break; // taken at the very end: nothing left to stand for
        }
        vtt.append('\n').append(cueTime(from)).append(" --> ").append(cueTime(to)).append('\n')
            .append(name).append("#xywh=").append((k % sheet.columns()) * t.width()).append(',')
            .append((k / sheet.columns()) * t.height()).append(',').append(t.width())
            .append(',').append(t.height()).append('\n');
      }
      draft.moveIn(FOLDER + "/" + name, sheet.file());
    }
    draft.write(PLAYLIST, PlaylistWriter.write(playlist.build())
        .getBytes(StandardCharsets.UTF_8));
    draft.write(VTT, vtt.toString().getBytes(StandardCharsets.UTF_8));
    return new ImageVariant(PLAYLIST, rates.peak(), Optional.of(rates.average()),
        List.of("jpeg"), Optional.of(size), Optional.empty(), Map.of());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A WebVTT timestamp: {@code hh:mm:ss.ttt}. */
  static String cueTime(Duration d) {
    long ms = d.toMillis();
    return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60,
        ms / 1000 % 60, ms % 1000);
  }
}
