package io.hlskit.core.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.SegmentKey;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LinearTimelineTest {
  private static final Instant START = Instant.parse("2026-11-28T00:00:00Z");

  /** a: three segments of 2 s; b: two of 3 s. A pass lasts 12 s. */
  private static final MediaPlaylist A = vod("a", 3, Duration.ofSeconds(2));
  private static final MediaPlaylist B = vod("b", 2, Duration.ofSeconds(3));

  private static MediaPlaylist vod(String name, int count, Duration each) {
    MediaPlaylist.Builder b = MediaPlaylist.builder().endList(true).independentSegments(true);
    for (int i = 0; i < count; i++) {
      b.addSegment(name + i + ".ts", each);
    }
    return b.build();
  }

  private static LinearTimeline ab(boolean loop) {
    return LinearTimeline.of(Schedule.of(START, loop, "a", "b"), List.of(
        new LinearTimeline.Source(0, A, "../a/"), new LinearTimeline.Source(1, B, "../b/")));
  }

  private static MediaPlaylist at(LinearTimeline t, double seconds, int window) {
    return t.playlistAt(START.plusMillis(Math.round(seconds * 1000)), window).orElseThrow();
  }

  private static List<String> uris(MediaPlaylist p) {
    return p.segments().stream().map(MediaSegment::uri).collect(Collectors.toList());
  }

  private static OffsetDateTime utc(double seconds) {
    return OffsetDateTime.ofInstant(START.plusMillis(Math.round(seconds * 1000)), ZoneOffset.UTC);
  }

  @Test
  void theFirstSecondsHoldTheFirstSegment() {
    MediaPlaylist p = at(ab(true), 0, 6);
    assertThat(uris(p)).containsExactly("../a/a0.ts");
    assertThat(p.mediaSequence()).isZero();
    assertThat(p.discontinuitySequence()).isZero();
    assertThat(p.segments().get(0).discontinuity()).isFalse();
    assertThat(p.segments().get(0).programDateTime()).contains(utc(0));
    assertThat(p.endList()).isFalse();
    assertThat(p.playlistType()).isEmpty();
    assertThat(p.targetDuration()).isEqualTo(3);
    assertThat(p.independentSegments()).isTrue();
  }

  @Test
  void anItemChangeIsADiscontinuityWithItsDate() {
    MediaPlaylist p = at(ab(true), 7, 6);
    assertThat(uris(p)).containsExactly("../a/a0.ts", "../a/a1.ts", "../a/a2.ts", "../b/b0.ts");
    MediaSegment b0 = p.segments().get(3);
    assertThat(b0.discontinuity()).isTrue();
    assertThat(b0.programDateTime()).contains(utc(6));
    assertThat(p.segments().get(1).programDateTime()).isEmpty();
  }

  @Test
  void theWindowSlidesAcrossPassesWithGrowingSequences() {
    LinearTimeline t = ab(true);
    // 13 s: the second pass's a0 (global segment 5) is on air
    MediaPlaylist p = at(t, 13, 3);
    assertThat(uris(p)).containsExactly("../b/b0.ts", "../b/b1.ts", "../a/a0.ts");
    assertThat(p.mediaSequence()).isEqualTo(3);
    assertThat(p.discontinuitySequence()).isZero(); // b0's own discontinuity is still listed
    assertThat(p.segments().get(0).programDateTime()).contains(utc(6));
    assertThat(p.segments().get(2).discontinuity()).isTrue();
    assertThat(p.segments().get(2).programDateTime()).contains(utc(12));
    // 14 s: b0 has left the window, and its discontinuity with it
    MediaPlaylist later = at(t, 14, 3);
    assertThat(uris(later)).containsExactly("../b/b1.ts", "../a/a0.ts", "../a/a1.ts");
    assertThat(later.mediaSequence()).isEqualTo(4);
    assertThat(later.discontinuitySequence()).isEqualTo(1);
    // a day later the numbers have only grown: 7,200 passes of five segments and two items
    MediaPlaylist dayLater = at(t, 86_400 + 13, 3);
    assertThat(uris(dayLater)).isEqualTo(uris(p));
    assertThat(dayLater.mediaSequence()).isEqualTo(7_200L * 5 + 3);
    assertThat(dayLater.discontinuitySequence()).isEqualTo(7_200L * 2);
  }

  @Test
  void everyReloadAgreesWithTheOneBefore() {
    // what RFC 8216 asks of a live playlist, checked every 250 ms over five passes
    LinearTimeline t = ab(true);
    MediaPlaylist before = at(t, 0, 4);
    for (int ms = 250; ms < 60_000; ms += 250) {
      MediaPlaylist now = at(t, ms / 1000.0, 4);
      long dropped = now.mediaSequence() - before.mediaSequence();
      assertThat(dropped).isBetween(0L, (long) before.segments().size());
      long droppedChanges = before.segments().subList(0, (int) dropped).stream()
          .filter(MediaSegment::discontinuity).count();
      assertThat(now.discontinuitySequence())
          .isEqualTo(before.discontinuitySequence() + droppedChanges);
      for (int i = (int) dropped; i < before.segments().size(); i++) {
        MediaSegment was = before.segments().get(i);
        MediaSegment is = now.segments().get(i - (int) dropped);
        assertThat(is.uri()).isEqualTo(was.uri());
        assertThat(is.discontinuity()).isEqualTo(was.discontinuity());
      }
      before = now;
    }
  }

  @Test
  void twoTimelinesOfOneScheduleWriteTheSameText() {
    Instant now = Instant.parse("2026-11-29T13:14:15.5Z");
    assertThat(PlaylistWriter.write(ab(true).playlistAt(now, 6).orElseThrow()))
        .isEqualTo(PlaylistWriter.write(ab(true).playlistAt(now, 6).orElseThrow()));
  }

  @Test
  void independentParsersReadTheLivePlaylist() throws Exception {
    String text = PlaylistWriter.write(at(ab(true), 86_400 + 7, 6));
    assertThat(text).contains("#EXT-X-DISCONTINUITY\n", "#EXT-X-PROGRAM-DATE-TIME:",
        "#EXT-X-DISCONTINUITY-SEQUENCE:").doesNotContain("ENDLIST", "PLAYLIST-TYPE");
    MediaPlaylist ours = PlaylistParser.strict().parseMedia(text);
    assertThat(ours).isEqualTo(at(ab(true), 86_400 + 7, 6));
    io.lindstrom.m3u8.model.MediaPlaylist theirs =
        new MediaPlaylistParser(ParsingMode.STRICT).readPlaylist(text);
    assertThat(theirs.mediaSequence()).isEqualTo(ours.mediaSequence());
    assertThat(theirs.mediaSegments()).hasSize(ours.segments().size());
    assertThat(theirs.mediaSegments().stream().filter(s -> s.discontinuity()).count())
        .isEqualTo(ours.segments().stream().filter(MediaSegment::discontinuity).count());
  }

  @Test
  void withoutLoopTheChannelEnds() {
    LinearTimeline t = ab(false);
    MediaPlaylist p = at(t, 3600, 3);
    assertThat(p.endList()).isTrue();
    assertThat(uris(p)).containsExactly("../a/a2.ts", "../b/b0.ts", "../b/b1.ts");
    assertThat(p.mediaSequence()).isEqualTo(2);
    assertThat(t.onAir(START.plusSeconds(3600))).isEmpty();
    assertThat(t.next(START.plusSeconds(3600))).isEmpty();
    assertThat(t.next(START.plusSeconds(7))).isEmpty();
    assertThat(at(t, 11.9, 3).endList()).isFalse();
  }

  @Test
  void beforeTheStartThereIsNothingOnAirAndTheFirstItemIsNext() {
    LinearTimeline t = ab(true);
    Instant early = START.minusSeconds(60);
    assertThat(t.playlistAt(early, 6)).isEmpty();
    assertThat(t.onAir(early)).isEmpty();
    assertThat(t.next(early)).contains(
        new LinearTimeline.Airing(0, "a", START, START.plusSeconds(6)));
  }

  @Test
  void nowAndNext() {
    LinearTimeline t = ab(true);
    assertThat(t.onAir(START.plusSeconds(7))).contains(
        new LinearTimeline.Airing(1, "b", START.plusSeconds(6), START.plusSeconds(12)));
    assertThat(t.next(START.plusSeconds(7))).contains(
        new LinearTimeline.Airing(0, "a", START.plusSeconds(12), START.plusSeconds(18)));
    assertThat(t.next(START.plusSeconds(1))).contains(
        new LinearTimeline.Airing(1, "b", START.plusSeconds(6), START.plusSeconds(12)));
  }

  @Test
  void anItemWithoutSourceIsSkipped() {
    LinearTimeline t = LinearTimeline.of(Schedule.of(START, true, "a", "gone", "b"), List.of(
        new LinearTimeline.Source(0, A, ""), new LinearTimeline.Source(2, B, "")));
    assertThat(t.passDuration()).isEqualTo(Duration.ofSeconds(12));
    assertThat(t.onAir(START.plusSeconds(7)).orElseThrow().item()).isEqualTo(2);
    assertThat(t.next(START.plusSeconds(1)).orElseThrow().channel()).isEqualTo("b");
    assertThatThrownBy(() -> LinearTimeline.of(Schedule.of(START, true, "gone"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has anything to play");
    assertThatThrownBy(() -> LinearTimeline.of(Schedule.of(START, true, "a", "b"), List.of(
        new LinearTimeline.Source(1, A, ""), new LinearTimeline.Source(0, B, ""))))
        .hasMessageContaining("schedule order");
  }

  @Test
  void urisResolveFromTheLinearPlaylistAndKeysKeepTheirIv() {
    MediaPlaylist encrypted = MediaPlaylist.builder().mediaSequence(5)
        .addSegment(MediaSegment.builder("s5.ts", Duration.ofSeconds(4))
            .key(SegmentKey.aes128("/api/keys/c/k1")).build())
        .addSegment(MediaSegment.builder("https://cdn.example/s6.ts", Duration.ofSeconds(4))
            .key(SegmentKey.aes128("key.bin")).build())
        .endList(true).build();
    LinearTimeline t = LinearTimeline.of(Schedule.of(START, true, "c"),
        List.of(new LinearTimeline.Source(0, encrypted, "../c/")));
    MediaPlaylist p = at(t, 5, 6);
    assertThat(uris(p)).containsExactly("../c/s5.ts", "https://cdn.example/s6.ts");
    assertThat(p.segments().get(0).key().orElseThrow().uri()).isEqualTo("/api/keys/c/k1");
    assertThat(p.segments().get(0).key().orElseThrow().iv())
        .contains("0x00000000000000000000000000000005");
    assertThat(p.segments().get(1).key().orElseThrow().uri()).isEqualTo("../c/key.bin");
    assertThat(p.segments().get(1).key().orElseThrow().iv())
        .contains("0x00000000000000000000000000000006");
    // RFC 3986: "seg:1.ts" names a scheme; a relative path with a colon starts with "./"
    assertThat(LinearTimeline.resolve("../c/", "seg:1.ts")).isEqualTo("seg:1.ts");
    assertThat(LinearTimeline.resolve("../c/", "./seg:1.ts")).isEqualTo("../c/./seg:1.ts");
    assertThat(LinearTimeline.resolve("../c/", "data:text/plain,x")).isEqualTo(
        "data:text/plain,x");
  }

  @Test
  void aWindowOfNoSegmentIsRefused() {
    assertThatThrownBy(() -> ab(true).playlistAt(START, 0))
        .hasMessageContaining("at least one segment");
  }

  @Test
  void anItemsOwnDiscontinuitiesAndByteRangesSurviveTheWindow() {
    // one file in byte ranges, the second range following the first; a discontinuity inside
    MediaPlaylist ranges = MediaPlaylist.builder()
        .addSegment(MediaSegment.builder("all.ts", Duration.ofSeconds(2))
            .byteRange(io.hlskit.core.playlist.ByteRange.of(1000, 0)).build())
        .addSegment(MediaSegment.builder("all.ts", Duration.ofSeconds(2))
            .byteRange(io.hlskit.core.playlist.ByteRange.following(500)).build())
        .addSegment(MediaSegment.builder("x.ts", Duration.ofSeconds(2)).discontinuity(true)
            .build())
        .endList(true).build();
    LinearTimeline t = LinearTimeline.of(Schedule.of(START, true, "r"),
        List.of(new LinearTimeline.Source(0, ranges, "../r/")));
    MediaPlaylist p = at(t, 3, 1); // the second range alone
    assertThat(p.segments().get(0).byteRange().orElseThrow().offset()).contains(1000L);
    MediaPlaylist q = at(t, 5, 2);
    assertThat(q.segments().get(1).discontinuity()).isTrue();
    assertThat(q.discontinuitySequence()).isZero();
    // one pass later: the pass's own discontinuity and the item's restart have both left
    MediaPlaylist r = at(t, 6 + 3, 1);
    assertThat(r.mediaSequence()).isEqualTo(4);
    assertThat(r.discontinuitySequence()).isEqualTo(2);
    assertThat(r.segments().get(0).discontinuity()).isFalse();
  }
}
