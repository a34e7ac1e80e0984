package io.hlskit.core.playlist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes playlists as RFC 8216 text, LF line endings, UTF-8 when encoded.
 *
 * <p>The models only hold valid playlists, so what this writes is valid: {@code EXT-X-VERSION} is
 * the one the features need, {@code EXT-X-TARGETDURATION} covers the longest segment, {@code
 * EXT-X-KEY} and {@code EXT-X-MAP} are written where they change, and attributes are quoted as the
 * RFC says. {@code PlaylistParser.strict().parse(write(p))} equals {@code p} for every playlist
 * without unknown tags; the lenient parser round-trips those too.
 *
 * <p>Stateless and thread-safe.
 */
public final class PlaylistWriter {
  /** Milliseconds always, finer digits when there are any, the offset with a colon or Z. */
  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .appendPattern("HH:mm:ss")
      .appendFraction(ChronoField.NANO_OF_SECOND, 3, 9, true)
      .appendOffset("+HH:MM", "Z")
      .toFormatter();

  private PlaylistWriter() {}

  /**
   * The playlist as text.
   *
   * @throws IllegalArgumentException when a value in it holds a control character, which RFC
   *     8216 allows nowhere in a playlist
   */
  public static String write(Playlist playlist) {
    StringBuilder out = new StringBuilder(estimateSize(playlist));
    if (playlist instanceof MediaPlaylist) {
      writeMedia((MediaPlaylist) playlist, out);
    } else {
      writeMultivariant((MultivariantPlaylist) playlist, out);
    }
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f) {
        int lineStart = out.lastIndexOf("\n", i) + 1;
        if (c == '\t' && out.indexOf("#EXT-X-SKIP:", lineStart) == lineStart) {
          continue; // RECENTLY-REMOVED-DATERANGES is tab-separated (RFC 8216bis 4.4.5.2)
        }
        throw new IllegalArgumentException(String.format("control character U+%04X in '%s';"
            + " RFC 8216 allows none in a playlist", (int) c,
            out.substring(lineStart, Math.min(out.length(), lineStart + 80))));
      }
    }
    return out.toString();
  }

  /** Appends the playlist to {@code out}. */
  public static void write(Playlist playlist, Appendable out) {
    try {
      out.append(write(playlist));
    } catch (IOException e) {
      throw new UncheckedIOException("writing the playlist failed", e);
    }
  }

  private static int estimateSize(Playlist playlist) {
    if (playlist instanceof MediaPlaylist) {
      MediaPlaylist m = (MediaPlaylist) playlist;
      int parts = m.openSegment().map(o -> o.parts().size()).orElse(0);
      for (MediaSegment s : m.segments()) {
        parts += s.parts().size();
      }
      return 128 + 48 * m.segments().size() + 64 * parts + 64 * m.renditionReports().size();
    }
    return 256 + 160 * ((MultivariantPlaylist) playlist).variants().size();
  }

  private static void tag(StringBuilder out, Tag tag) {
    out.append(tag.name).append('\n');
  }

  private static StringBuilder open(StringBuilder out, Tag tag) {
    return out.append(tag.name).append(':');
  }

  private static void header(StringBuilder out, Playlist p) {
    tag(out, Tag.EXTM3U);
    open(out, Tag.VERSION).append(p.version()).append('\n');
    if (p.independentSegments()) {
      tag(out, Tag.INDEPENDENT_SEGMENTS);
    }
    p.start().ifPresent(s -> {
      open(out, Tag.START).append("TIME-OFFSET=").append(Decimals.seconds(s.timeOffset()));
      if (s.precise()) {
        out.append(",PRECISE=YES");
      }
      out.append('\n');
    });
  }

  private static void writeMedia(MediaPlaylist p, StringBuilder out) {
    header(out, p);
    open(out, Tag.TARGETDURATION).append(p.targetDuration()).append('\n');
    p.serverControl().ifPresent(c -> writeServerControl(out, c));
    p.partTarget().ifPresent(t -> open(out, Tag.PART_INF).append("PART-TARGET=")
        .append(Decimals.seconds(t)).append('\n'));
    if (p.mediaSequence() != 0) {
      open(out, Tag.MEDIA_SEQUENCE).append(p.mediaSequence()).append('\n');
    }
    if (p.discontinuitySequence() != 0) {
      open(out, Tag.DISCONTINUITY_SEQUENCE).append(p.discontinuitySequence()).append('\n');
    }
    p.playlistType().ifPresent(t -> open(out, Tag.PLAYLIST_TYPE).append(t.name()).append('\n'));
    if (p.iFramesOnly()) {
      tag(out, Tag.I_FRAMES_ONLY);
    }
    if (p.imagesOnly()) {
      tag(out, Tag.IMAGES_ONLY);
    }
    unknown(out, p.unknownTags());
    p.skip().ifPresent(k -> {
      open(out, Tag.SKIP).append("SKIPPED-SEGMENTS=").append(k.skippedSegments());
      k.recentlyRemovedDateRanges().ifPresent(ids -> out.append(
          ",RECENTLY-REMOVED-DATERANGES=\"").append(String.join("\t", ids)).append('"'));
      out.append('\n');
    });

    boolean decimals = p.version() >= 3;
    Optional<SegmentKey> key = Optional.empty();
    Optional<InitializationSection> map = Optional.empty();
    for (MediaSegment s : p.segments()) {
      if (s.discontinuity()) {
        tag(out, Tag.DISCONTINUITY);
      }
      if (!s.key().equals(key)) {
        key = s.key();
        writeKey(out, key);
      }
      if (!s.map().equals(map)) {
        map = s.map();
        InitializationSection m = map.get();
        open(out, Tag.MAP).append("URI=\"").append(m.uri()).append('"');
        m.byteRange().ifPresent(r -> out.append(",BYTERANGE=\"").append(r).append('"'));
        out.append('\n');
      }
      s.programDateTime().ifPresent(t -> open(out, Tag.PROGRAM_DATE_TIME)
          .append(DATE_TIME.format(t)).append('\n'));
      unknown(out, s.unknownTags());
      s.parts().forEach(part -> writePart(out, part));
      Decimals.appendSeconds(open(out, Tag.EXTINF), s.duration(), decimals);
      out.append(',');
      s.title().ifPresent(out::append);
      out.append('\n');
      s.byteRange().ifPresent(r -> open(out, Tag.BYTERANGE).append(r).append('\n'));
      s.tiles().ifPresent(t -> writeTiles(out, t));
      out.append(s.uri()).append('\n');
    }
    p.openSegment().ifPresent(o -> {
      if (o.discontinuity()) {
        tag(out, Tag.DISCONTINUITY);
      }
      o.map().ifPresent(m -> {
        open(out, Tag.MAP).append("URI=\"").append(m.uri()).append('"');
        m.byteRange().ifPresent(r -> out.append(",BYTERANGE=\"").append(r).append('"'));
        out.append('\n');
      });
      o.programDateTime().ifPresent(t -> open(out, Tag.PROGRAM_DATE_TIME)
          .append(DATE_TIME.format(t)).append('\n'));
      o.parts().forEach(part -> writePart(out, part));
    });
    for (PreloadHint h : p.preloadHints()) {
      open(out, Tag.PRELOAD_HINT).append("TYPE=").append(h.type()).append(",URI=\"")
          .append(h.uri()).append('"');
      h.byteRangeStart().ifPresent(v -> out.append(",BYTERANGE-START=").append(v));
      h.byteRangeLength().ifPresent(v -> out.append(",BYTERANGE-LENGTH=").append(v));
      out.append('\n');
    }
    for (RenditionReport r : p.renditionReports()) {
      open(out, Tag.RENDITION_REPORT).append("URI=\"").append(r.uri()).append('"');
      r.lastMsn().ifPresent(v -> out.append(",LAST-MSN=").append(v));
      r.lastPart().ifPresent(v -> out.append(",LAST-PART=").append(v));
      out.append('\n');
    }
    if (p.endList()) {
      tag(out, Tag.ENDLIST);
    }
  }

  private static void writeServerControl(StringBuilder out, ServerControl c) {
    open(out, Tag.SERVER_CONTROL);
    int start = out.length();
    if (c.canBlockReload()) {
      out.append(",CAN-BLOCK-RELOAD=YES");
    }
    c.canSkipUntil().ifPresent(d -> out.append(",CAN-SKIP-UNTIL=").append(Decimals.seconds(d)));
    yes(out, "CAN-SKIP-DATERANGES", c.canSkipDateRanges());
    c.holdBack().ifPresent(d -> out.append(",HOLD-BACK=").append(Decimals.seconds(d)));
    c.partHoldBack().ifPresent(d -> out.append(",PART-HOLD-BACK=")
        .append(Decimals.seconds(d)));
    if (out.length() > start) {
      out.deleteCharAt(start); // the first attribute's comma
    }
    out.append('\n');
  }

  private static void writePart(StringBuilder out, PartialSegment part) {
    open(out, Tag.PART).append("DURATION=").append(Decimals.seconds(part.duration()))
        .append(",URI=\"").append(part.uri()).append('"');
    yes(out, "INDEPENDENT", part.independent());
    part.byteRange().ifPresent(r -> out.append(",BYTERANGE=\"").append(r).append('"'));
    yes(out, "GAP", part.gap());
    out.append('\n');
  }

  private static void writeTiles(StringBuilder out, Tiles t) {
    open(out, Tag.TILES).append("RESOLUTION=").append(t.resolution()).append(",LAYOUT=")
        .append(t.layout()).append(",DURATION=");
    Decimals.appendSeconds(out, t.duration(), true);
    others(out, t.otherAttributes());
    out.append('\n');
  }

  private static void writeKey(StringBuilder out, Optional<SegmentKey> key) {
    open(out, Tag.KEY);
    if (key.isEmpty()) {
      out.append("METHOD=NONE\n");
      return;
    }
    SegmentKey k = key.get();
    out.append("METHOD=").append(k.method().text()).append(",URI=\"").append(k.uri()).append('"');
    k.iv().ifPresent(iv -> out.append(",IV=").append(iv));
    quoted(out, "KEYFORMAT", k.keyFormat());
    quoted(out, "KEYFORMATVERSIONS", k.keyFormatVersions());
    out.append('\n');
  }

  private static void writeMultivariant(MultivariantPlaylist p, StringBuilder out) {
    header(out, p);
    unknown(out, p.unknownTags());
    for (SessionData d : p.sessionData()) {
      open(out, Tag.SESSION_DATA).append("DATA-ID=\"").append(d.dataId()).append('"');
      quoted(out, "VALUE", d.value());
      quoted(out, "URI", d.uri());
      quoted(out, "LANGUAGE", d.language());
      out.append('\n');
    }
    for (Rendition r : p.renditions()) {
      open(out, Tag.MEDIA).append("TYPE=").append(r.type().text())
          .append(",GROUP-ID=\"").append(r.groupId()).append('"')
          .append(",NAME=\"").append(r.name()).append('"');
      quoted(out, "LANGUAGE", r.language());
      quoted(out, "ASSOC-LANGUAGE", r.assocLanguage());
      yes(out, "DEFAULT", r.isDefault());
      yes(out, "AUTOSELECT", r.autoselect());
      yes(out, "FORCED", r.forced());
      quoted(out, "INSTREAM-ID", r.instreamId());
      quoted(out, "CHARACTERISTICS", r.characteristics());
      quoted(out, "CHANNELS", r.channels());
      quoted(out, "URI", r.uri());
      others(out, r.otherAttributes());
      out.append('\n');
    }
    for (Variant v : p.variants()) {
      open(out, Tag.STREAM_INF).append("BANDWIDTH=").append(v.bandwidth());
      v.averageBandwidth().ifPresent(b -> out.append(",AVERAGE-BANDWIDTH=").append(b));
      codecs(out, v.codecs());
      v.resolution().ifPresent(r -> out.append(",RESOLUTION=").append(r));
      v.frameRate().ifPresent(f -> out.append(",FRAME-RATE=").append(Decimals.threeDecimals(f)));
      v.hdcpLevel().ifPresent(h -> out.append(",HDCP-LEVEL=").append(h));
      quoted(out, "AUDIO", v.audio());
      quoted(out, "VIDEO", v.video());
      quoted(out, "SUBTITLES", v.subtitles());
      v.closedCaptions().ifPresent(c -> {
        if (c.equals("NONE")) {
          out.append(",CLOSED-CAPTIONS=NONE");
        } else {
          out.append(",CLOSED-CAPTIONS=\"").append(c).append('"');
        }
      });
      others(out, v.otherAttributes());
      out.append('\n').append(v.uri()).append('\n');
    }
    for (IFrameVariant v : p.iFrameVariants()) {
      open(out, Tag.I_FRAME_STREAM_INF).append("BANDWIDTH=").append(v.bandwidth());
      v.averageBandwidth().ifPresent(b -> out.append(",AVERAGE-BANDWIDTH=").append(b));
      codecs(out, v.codecs());
      v.resolution().ifPresent(r -> out.append(",RESOLUTION=").append(r));
      v.hdcpLevel().ifPresent(h -> out.append(",HDCP-LEVEL=").append(h));
      quoted(out, "VIDEO", v.video());
      others(out, v.otherAttributes());
      out.append(",URI=\"").append(v.uri()).append("\"\n");
    }
    for (ImageVariant v : p.imageVariants()) {
      open(out, Tag.IMAGE_STREAM_INF).append("BANDWIDTH=").append(v.bandwidth());
      v.averageBandwidth().ifPresent(b -> out.append(",AVERAGE-BANDWIDTH=").append(b));
      codecs(out, v.codecs());
      v.resolution().ifPresent(r -> out.append(",RESOLUTION=").append(r));
      quoted(out, "VIDEO", v.video());
      others(out, v.otherAttributes());
      out.append(",URI=\"").append(v.uri()).append("\"\n");
    }
  }

  private static void codecs(StringBuilder out, List<String> codecs) {
    if (!codecs.isEmpty()) {
      out.append(",CODECS=\"").append(String.join(",", codecs)).append('"');
    }
  }

  private static void quoted(StringBuilder out, String name, Optional<String> value) {
    value.ifPresent(v -> out.append(',').append(name).append("=\"").append(v).append('"'));
  }

  private static void yes(StringBuilder out, String name, boolean value) {
    if (value) {
      out.append(',').append(name).append("=YES");
    }
  }

  private static void others(StringBuilder out, Map<String, String> attributes) {
    if (!attributes.isEmpty()) {
      new TreeMap<>(attributes).forEach((k, v) -> out.append(',').append(k).append('=').append(v));
    }
  }

  private static void unknown(StringBuilder out, List<String> tags) {
    for (String t : tags) {
      out.append(t).append('\n');
    }
  }

}
