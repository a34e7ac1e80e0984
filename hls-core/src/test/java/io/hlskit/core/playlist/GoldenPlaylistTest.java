package io.hlskit.core.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.PlaylistParseException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RFC 8216 examples and real ffmpeg output: read strictly, checked, and round-tripped. */
class GoldenPlaylistTest {
  private static final PlaylistParser STRICT = PlaylistParser.strict();

  static Stream<String> goldens() {
    return Stream.of(Golden.RFC, Golden.FFMPEG, Golden.IMAGES, Golden.LOW_LATENCY)
        .flatMap(List::stream);
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void everyGoldenRoundTripsThroughTheWriter(String name) {
    Playlist parsed = STRICT.parse(Golden.read(name));
    String written = PlaylistWriter.write(parsed);

    assertThat(STRICT.parse(written)).isEqualTo(parsed);
    assertThat(PlaylistWriter.write(STRICT.parse(written))).isEqualTo(written);
    assertThat(PlaylistParser.lenient().parse(Golden.read(name))).isEqualTo(parsed);
  }

  @Test
  void lowLatencyLivePlaylistHasPartsHintsAndReports() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("lowlatency/live-parts.m3u8"));

    assertThat(p.partTarget()).contains(Duration.ofMillis(334));
    assertThat(p.serverControl()).contains(new ServerControl(true,
        Optional.of(Duration.ofSeconds(12)), false, Optional.empty(),
        Optional.of(Duration.ofMillis(1002))));
    assertThat(p.segments()).hasSize(2);
    assertThat(p.segments().get(0).parts()).isEmpty();
    assertThat(p.segments().get(1).parts()).hasSize(6).first().isEqualTo(
        PartialSegment.of("seg_000882113.0.ts", Duration.ofMillis(334), true));
    assertThat(p.segments().get(1).parts()).filteredOn(PartialSegment::independent).hasSize(1);
    OpenSegment open = p.openSegment().orElseThrow();
    assertThat(open.discontinuity()).isTrue();
    assertThat(open.programDateTime()).contains(
        OffsetDateTime.of(2026, 12, 7, 18, 0, 5, 0, ZoneOffset.UTC));
    assertThat(open.parts()).extracting(PartialSegment::uri)
        .containsExactly("seg_000882114.0.ts", "seg_000882114.1.ts");
    assertThat(p.preloadHints()).containsExactly(PreloadHint.part("seg_000882114.2.ts"));
    assertThat(p.renditionReports()).containsExactly(
        RenditionReport.of("../360p/index.m3u8", 882114, 1),
        RenditionReport.of("../audio/index.m3u8", 882114, 0));
    String written = PlaylistWriter.write(p);
    assertThat(written).contains("#EXT-X-TARGETDURATION:2\n#EXT-X-SERVER-CONTROL:"
        + "CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12,PART-HOLD-BACK=1.002\n"
        + "#EXT-X-PART-INF:PART-TARGET=0.334\n#EXT-X-MEDIA-SEQUENCE:882112\n");
    assertThat(written).endsWith("#EXT-X-DISCONTINUITY\n"
        + "#EXT-X-PROGRAM-DATE-TIME:2026-12-07T18:00:05.000Z\n"
        + "#EXT-X-PART:DURATION=0.334,URI=\"seg_000882114.0.ts\",INDEPENDENT=YES\n"
        + "#EXT-X-PART:DURATION=0.333,URI=\"seg_000882114.1.ts\"\n"
        + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg_000882114.2.ts\"\n"
        + "#EXT-X-RENDITION-REPORT:URI=\"../360p/index.m3u8\",LAST-MSN=882114,LAST-PART=1\n"
        + "#EXT-X-RENDITION-REPORT:URI=\"../audio/index.m3u8\",LAST-MSN=882114,LAST-PART=0\n");
  }

  @Test
  void deltaUpdateSkipsSegmentsAndNeedsVersionNine() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("lowlatency/delta-update.m3u8"));

    assertThat(p.skip()).contains(new Skip(7, Optional.of(List.of("ad-1", "ad-2"))));
    assertThat(p.version()).isEqualTo(9);
    assertThat(p.serverControl().orElseThrow().canSkipDateRanges()).isTrue();
    assertThat(p.segments().get(1).parts()).extracting(PartialSegment::gap)
        .containsExactly(false, false, true, false);
    assertThat(p.segments().get(1).parts().get(1).byteRange()).contains(ByteRange.of(18000, 20000));
    assertThat(p.preloadHints()).extracting(PreloadHint::type)
        .containsExactly(PreloadHint.Type.PART, PreloadHint.Type.MAP);
    assertThat(p.preloadHints().get(0).byteRangeStart()).contains(21000L);
    assertThatThrownBy(() -> STRICT.parse(Golden.read("lowlatency/delta-update.m3u8")
        .replace("#EXT-X-VERSION:9", "#EXT-X-VERSION:8")))
        .isInstanceOf(PlaylistParseException.class)
        .hasMessageContaining("need version 9");
  }

  @Test
  void thumbnailsAreAnImagePlaylistOfTiles() {
    MultivariantPlaylist master = STRICT.parseMultivariant(
        Golden.read("images/master-with-thumbnails.m3u8"));
    MediaPlaylist images = STRICT.parseMedia(Golden.read("images/thumbnails.m3u8"));

    assertThat(master.imageVariants()).singleElement().satisfies(v -> {
      assertThat(v.uri()).isEqualTo("thumbnails/index.m3u8");
      assertThat(v.bandwidth()).isEqualTo(13_000);
      assertThat(v.codecs()).containsExactly("jpeg");
      assertThat(v.resolution()).contains(new Resolution(320, 180));
    });
    assertThat(master.iFrameVariants()).hasSize(1);
    assertThat(images.imagesOnly()).isTrue();
    assertThat(images.segments()).extracting(s -> s.tiles().orElseThrow()).containsOnly(
        Tiles.of(new Resolution(320, 180), 10, 10, Duration.ofSeconds(10)));
    assertThat(images.segments().get(0).tiles().orElseThrow().count()).isEqualTo(100);
    assertThat(images.totalDuration()).isEqualTo(Duration.ofSeconds(1245));
    assertThat(PlaylistWriter.write(images)).contains("#EXT-X-IMAGES-ONLY\n",
        "#EXTINF:1000.000,\n#EXT-X-TILES:RESOLUTION=320x180,LAYOUT=10x10,DURATION=10.000\n"
            + "tiles-00000.jpg\n");
  }

  @Test
  void simpleMediaPlaylist() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("rfc8216/8.1-simple-media.m3u8"));

    assertThat(p.segments()).extracting(MediaSegment::uri).containsExactly(
        "http://media.example.com/first.ts", "http://media.example.com/second.ts",
        "http://media.example.com/third.ts");
    assertThat(p.segments()).extracting(MediaSegment::duration).containsExactly(
        Duration.ofMillis(9009), Duration.ofMillis(9009), Duration.ofMillis(3003));
    assertThat(p.targetDuration()).isEqualTo(10);
    assertThat(p.version()).isEqualTo(3);
    assertThat(p.endList()).isTrue();
    assertThat(p.totalDuration()).isEqualTo(Duration.ofMillis(21021));
  }

  @Test
  void liveMediaPlaylistKeepsItsMediaSequence() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("rfc8216/8.2-live-media.m3u8"));

    assertThat(p.mediaSequence()).isEqualTo(2680);
    assertThat(p.targetDuration()).isEqualTo(8);
    assertThat(p.endList()).isFalse();
    assertThat(p.segments()).hasSize(3);
  }

  @Test
  void encryptionKeysApplyUntilTheNextKeyTag() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("rfc8216/8.3-encrypted-media.m3u8"));

    assertThat(p.segments()).extracting(s -> s.key().orElseThrow().uri()).containsExactly(
        "https://priv.example.com/key.php?r=52", "https://priv.example.com/key.php?r=52",
        "https://priv.example.com/key.php?r=52", "https://priv.example.com/key.php?r=53");
    assertThat(p.segments().get(0).key().orElseThrow().method()).isEqualTo(KeyMethod.AES_128);
    // 15.0 rounds to the target duration exactly: allowed
    assertThat(p.targetDuration()).isEqualTo(15);
    String written = PlaylistWriter.write(p);
    assertThat(written.lines().filter(l -> l.startsWith("#EXT-X-KEY"))).hasSize(2);
  }

  @Test
  void masterPlaylistVariants() {
    MultivariantPlaylist p = STRICT.parseMultivariant(Golden.read("rfc8216/8.4-master.m3u8"));

    assertThat(p.variants()).extracting(Variant::bandwidth)
        .containsExactly(1280000L, 2560000L, 7680000L, 65000L);
    assertThat(p.variants().get(0).averageBandwidth()).contains(1000000L);
    assertThat(p.variants().get(3).codecs()).containsExactly("mp4a.40.5");
    assertThat(p.variants().get(3).uri()).isEqualTo("http://example.com/audio-only.m3u8");
  }

  @Test
  void iFrameVariants() {
    MultivariantPlaylist p =
        STRICT.parseMultivariant(Golden.read("rfc8216/8.5-master-i-frames.m3u8"));

    assertThat(p.variants()).hasSize(4);
    assertThat(p.iFrameVariants()).extracting(IFrameVariant::uri, IFrameVariant::bandwidth)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("low/iframe.m3u8", 86000L),
            org.assertj.core.groups.Tuple.tuple("mid/iframe.m3u8", 150000L),
            org.assertj.core.groups.Tuple.tuple("hi/iframe.m3u8", 550000L));
  }

  @Test
  void alternativeAudioRenditions() {
    MultivariantPlaylist p =
        STRICT.parseMultivariant(Golden.read("rfc8216/8.6-master-alternative-audio.m3u8"));

    assertThat(p.renditions()).hasSize(3);
    Rendition english = p.renditions().get(0);
    assertThat(english.type()).isEqualTo(RenditionType.AUDIO);
    assertThat(english.groupId()).isEqualTo("aac");
    assertThat(english.name()).isEqualTo("English");
    assertThat(english.isDefault()).isTrue();
    assertThat(english.autoselect()).isTrue();
    assertThat(english.language()).contains("en");
    assertThat(english.uri()).contains("main/english-audio.m3u8");
    assertThat(p.renditions().get(2).autoselect()).isFalse();
    assertThat(p.variants()).allSatisfy(v -> assertThat(v.audio()).contains("aac"));
  }

  @Test
  void alternativeVideoRenditions() {
    MultivariantPlaylist p =
        STRICT.parseMultivariant(Golden.read("rfc8216/8.7-master-alternative-video.m3u8"));

    assertThat(p.renditions()).hasSize(9);
    assertThat(p.variants()).extracting(v -> v.video().orElseThrow())
        .containsExactly("low", "mid", "hi");
  }

  @Test
  void sessionDataExampleNeedsTheLenientParserForItsStraySpace() {
    String text = Golden.read("rfc8216/8.8-session-data.m3u8");

    assertThatThrownBy(() -> STRICT.parse(text))
        .isInstanceOf(PlaylistParseException.class)
        .hasMessageStartingWith("line 4: #EXT-X-SESSION-DATA: expected an attribute NAME=")
        .satisfies(e -> assertThat(((PlaylistParseException) e).line()).isEqualTo(4));

    MultivariantPlaylist p = PlaylistParser.lenient().parseMultivariant(text);
    assertThat(p.sessionData()).containsExactly(
        new SessionData("com.example.lyrics", Optional.empty(), Optional.of("lyrics.json"),
            Optional.empty()),
        new SessionData("com.example.title", Optional.of("This is an example"), Optional.empty(),
            Optional.of("en")),
        new SessionData("com.example.title", Optional.of("Este es un ejemplo"), Optional.empty(),
            Optional.of("es")));
    assertThat(STRICT.parse(PlaylistWriter.write(p))).isEqualTo(p);
  }

  @Test
  void seedConvertOutput() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("ffmpeg/seed-convert-playlist.m3u8"));

    assertThat(p.segments()).extracting(MediaSegment::uri)
        .containsExactly("playlist0.ts", "playlist1.ts", "playlist2.ts");
    assertThat(p.totalDuration()).isEqualTo(Duration.ofSeconds(25));
    assertThat(p.targetDuration()).isEqualTo(10);
    assertThat(p.playlistType()).isEmpty();
    assertThat(p.endList()).isTrue();
  }

  @Test
  void fragmentedMp4KeepsItsDeclaredVersionAndMap() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("ffmpeg/fmp4-vod.m3u8"));

    assertThat(p.version()).isEqualTo(7);
    assertThat(p.declaredVersion()).contains(7);
    assertThat(p.independentSegments()).isTrue();
    assertThat(p.playlistType()).contains(PlaylistType.VOD);
    assertThat(p.segments()).allSatisfy(
        s -> assertThat(s.map()).contains(InitializationSection.of("init.mp4")));
    assertThat(p.segments()).hasSize(7);
  }

  @Test
  void singleFileByteRanges() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("ffmpeg/single-file-byterange.m3u8"));

    assertThat(p.version()).isEqualTo(4);
    assertThat(p.segments()).allSatisfy(s -> assertThat(s.uri()).isEqualTo("index.ts"));
    assertThat(p.segments().get(1).byteRange()).contains(ByteRange.of(179916, 175780));
    long end = 0;
    for (MediaSegment s : p.segments()) {
      ByteRange r = s.byteRange().orElseThrow();
      assertThat(r.offset()).contains(end);
      end += r.length();
    }
  }

  @Test
  void programDateTimeWithAnOffsetWithoutColon() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("ffmpeg/live-program-date-time.m3u8"));

    assertThat(p.mediaSequence()).isEqualTo(4);
    assertThat(p.segments().get(0).programDateTime()).isPresent();
    OffsetDateTime first = p.segments().get(0).programDateTime().orElseThrow();
    OffsetDateTime second = p.segments().get(1).programDateTime().orElseThrow();
    assertThat(first.getOffset()).isEqualTo(ZoneOffset.UTC);
    assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(4));
    assertThat(PlaylistWriter.write(p)).contains("#EXT-X-PROGRAM-DATE-TIME:")
        .containsPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\n");
  }

  @Test
  void ffmpegAbrMaster() {
    MultivariantPlaylist p = STRICT.parseMultivariant(Golden.read("ffmpeg/abr-master.m3u8"));

    assertThat(p.variants()).extracting(Variant::uri).containsExactly("v0/index.m3u8",
        "v1/index.m3u8");
    Variant first = p.variants().get(0);
    assertThat(first.resolution()).contains(new Resolution(320, 180));
    assertThat(first.codecs()).containsExactly("avc1.640014", "mp4a.40.2");
    assertThat(first.frameRate()).isEmpty();
  }

  @Test
  void ffmpegAes128WithExplicitIv() {
    MediaPlaylist p = STRICT.parseMedia(Golden.read("ffmpeg/aes128-vod.m3u8"));

    SegmentKey key = p.segments().get(0).key().orElseThrow();
    assertThat(key.uri()).isEqualTo("https://keys.example.com/k.key");
    assertThat(key.iv()).contains("0x0123456789abcdef0123456789abcdef");
  }

  @Test
  void ffmpegAudioGroup() {
    MultivariantPlaylist p =
        STRICT.parseMultivariant(Golden.read("ffmpeg/audio-group-master.m3u8"));

    assertThat(p.renditions()).singleElement().satisfies(r -> {
      assertThat(r.groupId()).isEqualTo("group_aud");
      assertThat(r.isDefault()).isTrue();
      assertThat(r.language()).contains("en");
    });
    assertThat(p.variants().get(0).audio()).contains("group_aud");
  }

  @Test
  void frameRateIsWrittenWithThreeDecimalsAndReadBackEqual() {
    MultivariantPlaylist p = MultivariantPlaylist.builder()
        .addVariant(Variant.builder("a.m3u8", 1_000_000).frameRate(new BigDecimal("30")).build())
        .addVariant(Variant.builder("b.m3u8", 500_000).frameRate(29.97).build())
        .build();

    String text = PlaylistWriter.write(p);

    assertThat(text).contains("FRAME-RATE=30.000\n").contains("FRAME-RATE=29.970\n");
    assertThat(STRICT.parse(text)).isEqualTo(p);
    assertThat(List.of(p.variants().get(0).frameRate().orElseThrow()))
        .containsExactly(new BigDecimal("30"));
  }
}
