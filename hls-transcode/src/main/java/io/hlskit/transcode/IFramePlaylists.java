package io.hlskit.transcode;

import io.hlskit.core.playlist.ByteRange;
import io.hlskit.core.playlist.IFrameVariant;
import io.hlskit.core.playlist.InitializationSection;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.transcode.internal.EncodeResult;
import io.hlskit.transcode.internal.IFrameRanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendition's I-frame playlist ({@code EXT-X-I-FRAMES-ONLY}), for fast forward and rewind and
 * for scrubbing in players that use them: each segment's first I-frame as a byte range of the
 * segment itself, so nothing is stored twice.
 */
final class IFramePlaylists {
  private IFramePlaylists() {}

  /** A rendition's I-frame playlist, relative to the rendition's folder. */
  static final String NAME = "iframes.m3u8";

  /** The I-frames of a rendition's segments, found before the segments are moved away. */
  record Found(List<IFrameRanges.Range> ranges) {}

  /**
   * Finds each segment's first I-frame; empty when the rendition has no video or one segment's
   * cannot be found (then the rendition gets no I-frame playlist).
   */
  static Optional<Found> find(EncodeResult.Rendition r, boolean fmp4) throws IOException {
    if (!r.hasVideo()) {
      return Optional.empty();
    }
    List<IFrameRanges.Range> ranges = new ArrayList<>();
    for (EncodeResult.Segment s : r.segments()) {
      Optional<IFrameRanges.Range> range = IFrameRanges.first(s.file(), fmp4);
      if (range.isEmpty()) {
        return Optional.empty();
      }
      ranges.add(range.get());
    }
    return Optional.of(new Found(ranges));
  }

  /**
   * Writes {@code <name>/iframes.m3u8} over {@code segments} (the rendition's, as its media
   * playlist lists them) and returns the variant that lists it.
   */
  static IFrameVariant write(String name, Found found, List<MediaSegment> segments,
      Optional<InitializationSection> init, String videoCodecs, Resolution resolution,
      ChannelDraft draft) {
    MediaPlaylist.Builder playlist = MediaPlaylist.builder().playlistType(PlaylistType.VOD)
        .iFramesOnly(true).independentSegments(true).endList(true);
    BitRates rates = new BitRates();
    for (int i = 0; i < segments.size(); i++) {
      MediaSegment s = segments.get(i);
      IFrameRanges.Range range = found.ranges().get(i);
      // an I-frame lasts until the next one: here, the whole segment
      playlist.addSegment(MediaSegment.builder(s.uri(), s.duration())
          .byteRange(ByteRange.of(range.length(), range.offset())).map(init.orElse(null))
          .build());
      rates.add(range.length(), s.duration());
    }
    draft.write(name + "/" + NAME, PlaylistWriter.write(playlist.build())
        .getBytes(StandardCharsets.UTF_8));
    return new IFrameVariant(name + "/" + NAME, rates.peak(), Optional.of(rates.average()),
        List.of(videoCodecs), Optional.of(resolution), Optional.empty(), Optional.empty(),
        Map.of());
  }
}
