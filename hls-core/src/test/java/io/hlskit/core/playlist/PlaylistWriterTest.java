package io.hlskit.core.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the writer emits for the features that decide version, target duration and tags. */
class PlaylistWriterTest {

  @Test
  void aPlainVodPlaylist() {
    MediaPlaylist p = MediaPlaylist.builder()
        .playlistType(PlaylistType.VOD)
        .independentSegments(true)
        .addSegment("seg_00000.ts", Duration.ofMillis(6006))
        .addSegment("seg_00001.ts", Duration.ofSeconds(6))
        .addSegment("seg_00002.ts", Duration.ofNanos(1_500_000_001))
        .endList(true)
        .build();

    assertThat(PlaylistWriter.write(p)).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-TARGETDURATION:7
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXTINF:6.006,
        seg_00000.ts
        #EXTINF:6.000,
        seg_00001.ts
        #EXTINF:1.500000001,
        seg_00002.ts
        #EXT-X-ENDLIST
        """);
  }

  @Test
  void targetDurationIsTheCeilingOfTheLongestSegmentUnlessGiven() {
    MediaPlaylist.Builder b = MediaPlaylist.builder().addSegment("a.ts", Duration.ofMillis(6001));
    assertThat(b.build().targetDuration()).isEqualTo(7);
    assertThat(b.targetDuration(10).build().targetDuration()).isEqualTo(10);
    assertThat(b.targetDuration(7).build().declaredTargetDuration()).isEmpty();
    assertThat(MediaPlaylist.builder().build().targetDuration()).isEqualTo(1);
    assertThatThrownBy(() -> MediaPlaylist.builder().addSegment("a.ts", Duration.ofMillis(6500))
        .targetDuration(6).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than the longest segment, which rounds to 7 s");
  }

  @Test
  void versionFollowsTheFeaturesUsed() {
    MediaSegment plain = MediaSegment.of("a.ts", Duration.ofSeconds(4));
    assertThat(MediaPlaylist.builder().addSegment(plain).build().version()).isEqualTo(3);
    assertThat(MediaPlaylist.builder().addSegment(plain).version(1).build().version())
        .isEqualTo(1);
    assertThat(PlaylistWriter.write(MediaPlaylist.builder().addSegment(plain).version(2).build()))
        .contains("#EXTINF:4,\n");
    assertThat(MediaPlaylist.builder()
        .addSegment(plain.toBuilder().byteRange(ByteRange.of(10, 0)).build()).build().version())
        .isEqualTo(4);
    assertThat(MediaPlaylist.builder()
        .addSegment(plain.toBuilder().key(new SegmentKey(KeyMethod.SAMPLE_AES, "k",
            Optional.empty(), Optional.of("com.apple.streamingkeydelivery"), Optional.empty()))
            .build()).build().version())
        .isEqualTo(5);
    assertThat(MediaPlaylist.builder()
        .addSegment(plain.toBuilder().map(InitializationSection.of("init.mp4")).build()).build()
        .version()).isEqualTo(6);
    assertThatThrownBy(() -> MediaPlaylist.builder()
        .addSegment(MediaSegment.of("a.ts", Duration.ofMillis(4004))).version(2).build())
        .hasMessageContaining("need version 3");
  }

  @Test
  void keysAreWrittenWhereTheyChangeAndClearedWithNone() {
    SegmentKey k1 = SegmentKey.aes128("k1.key");
    SegmentKey k2 = SegmentKey.aes128("k2.key").withIv("0x000102030405060708090a0b0c0d0e0f");
    MediaPlaylist p = MediaPlaylist.builder()
        .addSegment(MediaSegment.builder("a.ts", Duration.ofSeconds(4)).key(k1).build())
        .addSegment(MediaSegment.builder("b.ts", Duration.ofSeconds(4)).key(k1).build())
        .addSegment(MediaSegment.builder("c.ts", Duration.ofSeconds(4)).key(k2).build())
        .addSegment(MediaSegment.of("d.ts", Duration.ofSeconds(4)))
        .build();

    assertThat(PlaylistWriter.write(p).lines().filter(l -> l.startsWith("#EXT-X-KEY")))
        .containsExactly("#EXT-X-KEY:METHOD=AES-128,URI=\"k1.key\"",
            "#EXT-X-KEY:METHOD=AES-128,URI=\"k2.key\",IV=0x000102030405060708090a0b0c0d0e0f",
            "#EXT-X-KEY:METHOD=NONE");
  }

  @Test
  void modelsRefuseWhatCannotBeWritten() {
    assertThatThrownBy(() -> MediaSegment.of("#a.ts", Duration.ZERO))
        .hasMessageContaining("would read as a tag");
    assertThatThrownBy(() -> MediaSegment.of("a\nb.ts", Duration.ZERO))
        .hasMessageContaining("line break");
    assertThatThrownBy(() -> MediaSegment.of("a.ts", Duration.ofSeconds(-1)))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> InitializationSection.of("in\"it.mp4"))
        .hasMessageContaining("double quote");
    assertThatThrownBy(() -> MediaPlaylist.builder()
        .addSegment(MediaSegment.builder("a.ts", Duration.ofSeconds(1))
            .byteRange(ByteRange.following(10)).build()).build())
        .hasMessageContaining("byte range without offset");
    assertThatThrownBy(() -> MediaPlaylist.builder()
        .addSegment(MediaSegment.builder("a.m4s", Duration.ofSeconds(1))
            .map(InitializationSection.of("init.mp4")).build())
        .addSegment("b.m4s", Duration.ofSeconds(1)).build())
        .hasMessageContaining("no EXT-X-MAP after segments that had one");
    assertThatThrownBy(() -> MultivariantPlaylist.builder().build())
        .hasMessageContaining("at least one variant");
    assertThatThrownBy(() -> Variant.builder("v.m3u8", 1).codecs("avc1,mp4a").build())
        .hasMessageContaining("RFC 6381");
  }

  @Test
  void aMultivariantPlaylistAsTheTranscoderWillWriteIt() {
    MultivariantPlaylist p = MultivariantPlaylist.builder()
        .independentSegments(true)
        .addVariant(Variant.builder("360p/index.m3u8", 628_000).averageBandwidth(560_000)
            .codecs("avc1.64001e", "mp4a.40.2").resolution(640, 360).frameRate(25).build())
        .addVariant(Variant.builder("720p/index.m3u8", 1_728_000).averageBandwidth(1_590_000)
            .codecs("avc1.64001f", "mp4a.40.2").resolution(1280, 720).frameRate(25).build())
        .build();

    assertThat(PlaylistWriter.write(p)).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-STREAM-INF:BANDWIDTH=628000,AVERAGE-BANDWIDTH=560000,CODECS="avc1.64001e,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=25.000
        360p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=1728000,AVERAGE-BANDWIDTH=1590000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=25.000
        720p/index.m3u8
        """);
  }

  @Test
  void controlCharactersAreNeverWritten() {
    MediaPlaylist playlist = MediaPlaylist.builder()
        .addSegment(MediaSegment.builder("seg.ts", Duration.ofSeconds(6)).title("a\u0000b")
            .build())
        .build();
    assertThatThrownBy(() -> PlaylistWriter.write(playlist))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character U+0000");
  }
}
