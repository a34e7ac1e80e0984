package io.hlskit.core.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lindstrom.m3u8.model.MasterPlaylist;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent parser ({@code io.lindstrom:m3u8-parser}) reads what our writer emits to the
 * same segments, durations and attributes; and it reads the goldens as we do.
 */
class ThirdPartyParserAgreementTest {
  // strict on their side too: an unknown tag or attribute in our output would fail the test
  private final MediaPlaylistParser theirMedia = new MediaPlaylistParser(ParsingMode.STRICT);
  private final MasterPlaylistParser theirMaster = new MasterPlaylistParser(ParsingMode.STRICT);

  // io.lindstrom 0.27 knows no image playlists (EXT-X-IMAGES-ONLY, EXT-X-TILES,
  // EXT-X-IMAGE-STREAM-INF): its strict mode refuses them, so they are left out here

  @Provide
  Arbitrary<MediaPlaylist> media() {
    return PlaylistArbitraries.mediaPlaylists().filter(p -> !p.imagesOnly());
  }

  @Provide
  Arbitrary<MultivariantPlaylist> multivariant() {
    return PlaylistArbitraries.multivariantPlaylists().filter(p -> p.variants().stream()
        .allMatch(v -> v.otherAttributes().isEmpty())
        && p.renditions().stream().allMatch(r -> r.otherAttributes().isEmpty())
        && p.imageVariants().isEmpty());
  }

  @Property(tries = 300)
  void theyReadOurMediaPlaylists(@ForAll("media") MediaPlaylist ours) throws Exception {
    io.lindstrom.m3u8.model.MediaPlaylist theirs =
        theirMedia.readPlaylist(PlaylistWriter.write(ours));
    assertAgree(ours, theirs);
  }

  @Property(tries = 300)
  void theyReadOurMultivariantPlaylists(@ForAll("multivariant") MultivariantPlaylist ours)
      throws Exception {
    MasterPlaylist theirs = theirMaster.readPlaylist(PlaylistWriter.write(ours));
    assertAgree(ours, theirs);
  }

  static List<String> mediaGoldens() {
    List<String> names = new ArrayList<>();
    for (String n : Golden.RFC) {
      if (!n.contains("master")) {
        names.add(n);
      }
    }
    for (String n : Golden.FFMPEG) {
      if (!n.contains("master")) {
        names.add(n);
      }
    }
    names.addAll(Golden.LOW_LATENCY);
    return names;
  }

  static List<String> masterGoldens() {
    List<String> names = new ArrayList<>();
    for (String n : Golden.RFC) {
      if (n.contains("master")) {
        names.add(n);
      }
    }
    for (String n : Golden.FFMPEG) {
      if (n.contains("master")) {
        names.add(n);
      }
    }
    return names;
  }

  @ParameterizedTest
  @MethodSource("mediaGoldens")
  void bothReadTheMediaGoldensAlike(String name) throws Exception {
    String text = Golden.read(name);
    MediaPlaylist ours = PlaylistParser.strict().parseMedia(text);
    assertAgree(ours, new MediaPlaylistParser(ParsingMode.LENIENT).readPlaylist(text));
  }

  @ParameterizedTest
  @MethodSource("masterGoldens")
  void bothReadTheMultivariantGoldensAlike(String name) throws Exception {
    String text = Golden.read(name);
    MultivariantPlaylist ours = PlaylistParser.strict().parseMultivariant(text);
    assertAgree(ours, new MasterPlaylistParser(ParsingMode.LENIENT).readPlaylist(text));
  }

  private static void assertAgree(MediaPlaylist ours, io.lindstrom.m3u8.model.MediaPlaylist theirs) {
    assertThat(theirs.targetDuration()).isEqualTo(ours.targetDuration());
    assertThat(theirs.mediaSequence()).isEqualTo(ours.mediaSequence());
    assertThat(theirs.discontinuitySequence()).isEqualTo(ours.discontinuitySequence());
    assertThat(theirs.ongoing()).isEqualTo(!ours.endList());
    assertThat(theirs.iFramesOnly()).isEqualTo(ours.iFramesOnly());
    assertThat(theirs.independentSegments()).isEqualTo(ours.independentSegments());
    assertThat(theirs.playlistType().map(Enum::name))
        .isEqualTo(ours.playlistType().map(Enum::name));
    ours.start().ifPresent(s -> assertThat(theirs.startTimeOffset().orElseThrow().timeOffset())
        .isCloseTo(s.timeOffset().toNanos() / 1e9, within(1e-9)));
    assertThat(theirs.mediaSegments()).hasSameSizeAs(ours.segments());

    // they keep KEY and MAP where written; carry them forward as RFC 8216 says they apply
    Optional<io.lindstrom.m3u8.model.SegmentKey> key = Optional.empty();
    Optional<io.lindstrom.m3u8.model.SegmentMap> map = Optional.empty();
    for (int i = 0; i < ours.segments().size(); i++) {
      MediaSegment o = ours.segments().get(i);
      io.lindstrom.m3u8.model.MediaSegment t = theirs.mediaSegments().get(i);
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.duration()).isCloseTo(o.duration().toNanos() / 1e9, within(1e-9));
      assertThat(t.title().filter(s -> !s.isEmpty())).isEqualTo(o.title());
      assertThat(t.discontinuity()).isEqualTo(o.discontinuity());
      assertThat(t.programDateTime().map(d -> d.toInstant()))
          .isEqualTo(o.programDateTime().map(d -> d.toInstant()));
      assertThat(t.byteRange().map(r -> r.length())).isEqualTo(o.byteRange().map(ByteRange::length));
      assertThat(t.byteRange().flatMap(r -> r.offset()))
          .isEqualTo(o.byteRange().flatMap(ByteRange::offset));
      if (t.segmentKey().isPresent()) {
        key = t.segmentKey().filter(k -> k.method() != io.lindstrom.m3u8.model.KeyMethod.NONE);
      }
      if (t.segmentMap().isPresent()) {
        map = t.segmentMap();
      }
      assertThat(key.map(k -> k.method().toString().replace('_', '-')))
          .isEqualTo(o.key().map(k -> k.method().text()));
      assertThat(key.flatMap(k -> k.uri())).isEqualTo(o.key().map(SegmentKey::uri));
      assertThat(key.flatMap(k -> k.iv()).map(String::toLowerCase))
          .isEqualTo(o.key().flatMap(SegmentKey::iv).map(String::toLowerCase));
      assertThat(key.flatMap(k -> k.keyFormat())).isEqualTo(o.key().flatMap(SegmentKey::keyFormat));
      assertThat(map.map(m -> m.uri())).isEqualTo(o.map().map(InitializationSection::uri));
      assertThat(map.flatMap(m -> m.byteRange()).map(r -> r.length() + "@" + r.offset().orElse(0L)))
          .isEqualTo(o.map().flatMap(InitializationSection::byteRange)
              .map(r -> r.length() + "@" + r.offset().orElse(0L)));
    }
    assertLowLatencyAgree(ours, theirs);
  }

  /** The low-latency tags: parts, server control, skip, hints and reports. */
  private static void assertLowLatencyAgree(MediaPlaylist ours,
      io.lindstrom.m3u8.model.MediaPlaylist theirs) {
    assertThat(theirs.partialSegmentInformation().map(i -> i.partTargetDuration()))
        .isEqualTo(ours.partTarget().map(d -> d.toNanos() / 1e9));
    assertThat(theirs.serverControl().isPresent()).isEqualTo(ours.serverControl().isPresent());
    ours.serverControl().ifPresent(c -> {
      io.lindstrom.m3u8.model.ServerControl t = theirs.serverControl().orElseThrow();
      assertThat(t.canBlockReload()).isEqualTo(c.canBlockReload());
      assertThat(t.canSkipUntil()).isEqualTo(c.canSkipUntil().map(d -> d.toNanos() / 1e9));
      assertThat(t.canSkipDateRanges().orElse(false)).isEqualTo(c.canSkipDateRanges());
      assertThat(t.holdBack()).isEqualTo(c.holdBack().map(d -> d.toNanos() / 1e9));
      assertThat(t.partHoldBack()).isEqualTo(c.partHoldBack().map(d -> d.toNanos() / 1e9));
    });
    assertThat(theirs.skip().map(k -> k.skippedSegments()))
        .isEqualTo(ours.skip().map(Skip::skippedSegments));
    ours.skip().flatMap(Skip::recentlyRemovedDateRanges).filter(l -> !l.isEmpty())
        .ifPresent(ids -> assertThat(theirs.skip().orElseThrow().recentlyRemovedDateRanges())
            .isEqualTo(ids));
    for (int i = 0; i < ours.segments().size(); i++) {
      assertPartsAgree(ours.segments().get(i).parts(),
          theirs.mediaSegments().get(i).partialSegments());
    }
    assertPartsAgree(ours.openSegment().map(OpenSegment::parts).orElse(List.of()),
        theirs.partialSegments());
    // io.lindstrom 0.27 keeps one hint: the last
    ours.preloadHints().stream().reduce((a, b) -> b).ifPresent(h -> {
      io.lindstrom.m3u8.model.PreloadHint t = theirs.preloadHint().orElseThrow();
      assertThat(t.type().name()).isEqualTo(h.type().name());
      assertThat(t.uri()).isEqualTo(h.uri());
      assertThat(t.byteRangeStart()).isEqualTo(h.byteRangeStart());
      assertThat(t.byteRangeLength()).isEqualTo(h.byteRangeLength());
    });
    assertThat(theirs.renditionReports()).hasSameSizeAs(ours.renditionReports());
    for (int i = 0; i < ours.renditionReports().size(); i++) {
      RenditionReport o = ours.renditionReports().get(i);
      io.lindstrom.m3u8.model.RenditionReport t = theirs.renditionReports().get(i);
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.lastMediaSequenceNumber()).isEqualTo(o.lastMsn());
      assertThat(t.lastPartialSegmentIndex()).isEqualTo(o.lastPart());
    }
  }

  private static void assertPartsAgree(List<PartialSegment> ours,
      List<io.lindstrom.m3u8.model.PartialSegment> theirs) {
    assertThat(theirs).hasSameSizeAs(ours);
    for (int i = 0; i < ours.size(); i++) {
      PartialSegment o = ours.get(i);
      io.lindstrom.m3u8.model.PartialSegment t = theirs.get(i);
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.duration()).isCloseTo(o.duration().toNanos() / 1e9, within(1e-9));
      assertThat(t.independent()).isEqualTo(o.independent());
      assertThat(t.gap()).isEqualTo(o.gap());
      assertThat(t.byterange().map(r -> r.length() + "@" + r.offset().orElse(0L)))
          .isEqualTo(o.byteRange().map(r -> r.length() + "@" + r.offset().orElse(0L)));
    }
  }

  private static void assertAgree(MultivariantPlaylist ours, MasterPlaylist theirs) {
    assertThat(theirs.independentSegments()).isEqualTo(ours.independentSegments());
    assertThat(theirs.variants()).hasSameSizeAs(ours.variants());
    for (int i = 0; i < ours.variants().size(); i++) {
      Variant o = ours.variants().get(i);
      io.lindstrom.m3u8.model.Variant t = theirs.variants().get(i);
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.bandwidth()).isEqualTo(o.bandwidth());
      assertThat(t.averageBandwidth()).isEqualTo(o.averageBandwidth());
      assertThat(t.codecs()).isEqualTo(o.codecs());
      assertThat(t.resolution().map(r -> r.width() + "x" + r.height()))
          .isEqualTo(o.resolution().map(Resolution::toString));
      assertThat(t.frameRate().map(f -> Math.round(f * 1000)))
          .isEqualTo(o.frameRate().map(f -> f.movePointRight(3).longValueExact()));
      assertThat(t.hdcpLevel()).isEqualTo(o.hdcpLevel());
      assertThat(t.audio()).isEqualTo(o.audio());
      assertThat(t.video()).isEqualTo(o.video());
      assertThat(t.subtitles()).isEqualTo(o.subtitles());
      if (o.closedCaptions().filter("NONE"::equals).isPresent()) {
        assertThat(t.closedCaptionsNone()).contains(true);
      } else {
        assertThat(t.closedCaptions()).isEqualTo(o.closedCaptions());
      }
    }
    assertThat(theirs.iFrameVariants()).hasSameSizeAs(ours.iFrameVariants());
    for (int i = 0; i < ours.iFrameVariants().size(); i++) {
      IFrameVariant o = ours.iFrameVariants().get(i);
      io.lindstrom.m3u8.model.IFrameVariant t = theirs.iFrameVariants().get(i);
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.bandwidth()).isEqualTo(o.bandwidth());
      assertThat(t.codecs()).isEqualTo(o.codecs());
      assertThat(t.video()).isEqualTo(o.video());
    }
    assertThat(theirs.alternativeRenditions()).hasSameSizeAs(ours.renditions());
    for (int i = 0; i < ours.renditions().size(); i++) {
      Rendition o = ours.renditions().get(i);
      io.lindstrom.m3u8.model.AlternativeRendition t = theirs.alternativeRenditions().get(i);
      assertThat(t.type().toString().replace('_', '-')).isEqualTo(o.type().text());
      assertThat(t.groupId()).isEqualTo(o.groupId());
      assertThat(t.name()).isEqualTo(o.name());
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.language()).isEqualTo(o.language());
      assertThat(t.assocLanguage()).isEqualTo(o.assocLanguage());
      assertThat(t.defaultRendition().orElse(false)).isEqualTo(o.isDefault());
      assertThat(t.autoSelect().orElse(false)).isEqualTo(o.autoselect());
      assertThat(t.forced().orElse(false)).isEqualTo(o.forced());
      assertThat(t.inStreamId()).isEqualTo(o.instreamId());
    }
    assertThat(theirs.sessionData()).hasSameSizeAs(ours.sessionData());
    for (int i = 0; i < ours.sessionData().size(); i++) {
      SessionData o = ours.sessionData().get(i);
      io.lindstrom.m3u8.model.SessionData t = theirs.sessionData().get(i);
      assertThat(t.dataId()).isEqualTo(o.dataId());
      assertThat(t.value()).isEqualTo(o.value());
      assertThat(t.uri()).isEqualTo(o.uri());
      assertThat(t.language()).isEqualTo(o.language());
    }
  }
}
