package io.hlskit.core.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Linear channels published into a real in-memory store and served from its items. */
class LinearPlaylistsTest {
  private static final Instant START = Instant.parse("2026-11-28T00:00:00Z");
  private static final String CODECS = "avc1.42c01e,mp4a.40.2";

  private static final Duration WITHIN = Duration.ofSeconds(5);

  private final InMemoryMediaStore store = new InMemoryMediaStore();
  private final LinearPlaylists linear = LinearPlaylists.of(store, 4);

  @AfterEach
  void close() {
    linear.close();
    store.close();
  }

  /** A two-rendition channel on demand: {@code count} segments of 2 s in each rendition. */
  private void vod(String id, int count) {
    StringBuilder multivariant = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n"
        + "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-START:TIME-OFFSET=0\n");
    ChannelMetadata.Builder m = ChannelMetadata.builder(id).title("Title of " + id)
        .duration(Duration.ofSeconds(2L * count)).poster("poster.jpg");
    try (ChannelDraft d = store.draft(id)) {
      for (String r : List.of("720p", "360p")) {
        multivariant.append("#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"" + CODECS + "\"\n")
            .append(r).append("/playlist.m3u8\n");
        StringBuilder media = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n"
            + "#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        for (int i = 0; i < count; i++) {
          media.append("#EXTINF:2.000,\nseg_").append(i).append(".ts\n");
          d.write(r + "/seg_" + i + ".ts", new byte[188]);
        }
        d.write(r + "/playlist.m3u8", bytes(media.append("#EXT-X-ENDLIST\n").toString()));
        m.addRendition(new RenditionInfo(r, r + "/playlist.m3u8", Optional.empty(), 1_000_000,
            0, List.of(CODECS.split(","))));
      }
      multivariant.append("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI=\"720p/iframes.m3u8\"\n");
      d.write("720p/iframes.m3u8", bytes("#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:2\n"
          + "#EXT-X-I-FRAMES-ONLY\n#EXT-X-BYTERANGE:188@0\n#EXTINF:2.000,\nseg_0.ts\n"
          + "#EXT-X-ENDLIST\n"));
      d.write("playlist.m3u8", bytes(multivariant.toString()));
      d.write("poster.jpg", bytes("a poster of " + id));
      d.publish(m.build());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private ChannelMetadata news(Instant start, String... items) {
    return LinearChannels.publish(store, "news", "News", Visibility.PUBLIC,
        Schedule.of(start, true, items));
  }

  private static List<String> uris(Playlist p) {
    return ((MediaPlaylist) p).segments().stream().map(MediaSegment::uri)
        .collect(Collectors.toList());
  }

  @Test
  void publishingWritesOnlyMetadataAndThePosterAndTakesTheFirstItemsRenditions()
      throws Exception {
    vod("a", 2);
    vod("b", 3);

    ChannelMetadata news = news(START, "a", "b");

    assertThat(store.channels().get("news")).contains(news);
    assertThat(news.renditions()).isEqualTo(store.channels().get("a").get().renditions());
    assertThat(news.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(news.poster()).contains("poster.jpg");
    assertThat(store.list("news/")).extracting(o -> o.key())
        .containsExactlyInAnyOrder("news/channel.json", "news/poster.jpg");
    try (var in = store.read("news/poster.jpg").orElseThrow().content()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a poster of a");
    }
  }

  @Test
  void theMultivariantPlaylistIsTheFirstItemsWithoutIFramesOrStartPoint() {
    vod("a", 2);
    vod("b", 3);
    ChannelMetadata news = news(START, "a", "b");

    MultivariantPlaylist m = (MultivariantPlaylist) linear.playlist(news, "playlist.m3u8",
        START.plusSeconds(1)).orElseThrow();

    assertThat(m.variants()).extracting(v -> v.uri())
        .containsExactly("720p/playlist.m3u8", "360p/playlist.m3u8");
    assertThat(m.iFrameVariants()).isEmpty();
    assertThat(m.start()).isEmpty();
    assertThat(linear.playlist(news, "720p/iframes.m3u8", START.plusSeconds(1))).isEmpty();
  }

  @Test
  void eachRenditionIsALiveWindowOverTheItemsOwnSegments() {
    vod("a", 2); // 4 s
    vod("b", 3); // 6 s
    ChannelMetadata news = news(START, "a", "b");

    Playlist p = linear.playlist(news, "360p/playlist.m3u8", START.plusSeconds(7))
        .orElseThrow();

    assertThat(uris(p)).containsExactly("../../a/360p/seg_0.ts", "../../a/360p/seg_1.ts",
        "../../b/360p/seg_0.ts", "../../b/360p/seg_1.ts");
    MediaPlaylist media = (MediaPlaylist) p;
    assertThat(media.endList()).isFalse();
    assertThat(media.segments().get(2).discontinuity()).isTrue();
    // a second pass goes on counting
    MediaPlaylist later = (MediaPlaylist) linear.playlist(news, "360p/playlist.m3u8",
        START.plusSeconds(10 + 5)).orElseThrow();
    assertThat(later.mediaSequence()).isEqualTo(5 + 2 - 4 + 1);
    assertThat(linear.onAir(news, START.plusSeconds(5)).orElseThrow().channel()).isEqualTo("b");
    assertThat(linear.next(news, START.plusSeconds(5)).orElseThrow().start())
        .isEqualTo(START.plusSeconds(10));
  }

  @Test
  void aSingleRenditionChannelIsServedAtItsEntryPlaylist() {
    for (String id : List.of("x", "y")) {
      try (ChannelDraft d = store.draft(id)) {
        d.write("playlist.m3u8", bytes("#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3.0,\ns0.ts\n"
            + "#EXT-X-ENDLIST\n"));
        d.publish(ChannelMetadata.builder(id).duration(Duration.ofSeconds(3)).build());
      }
    }
    ChannelMetadata plain = LinearChannels.publish(store, "plain", "Plain", Visibility.PUBLIC,
        Schedule.of(START, true, "x", "y"));

    assertThat(uris(linear.playlist(plain, "playlist.m3u8", START.plusSeconds(4))
        .orElseThrow())).containsExactly("../x/s0.ts", "../y/s0.ts");
    assertThat(linear.onAir(plain, START.plusSeconds(4)).orElseThrow().channel())
        .isEqualTo("y");
  }

  @Test
  void nothingBeforeTheStartAndNothingAtPathsTheItemsLack() {
    vod("a", 2);
    ChannelMetadata news = news(START.plusSeconds(60), "a");

    assertThat(linear.playlist(news, "720p/playlist.m3u8", START)).isEmpty();
    assertThat(linear.playlist(news, "720p/playlist.m3u8", START.plusSeconds(61))).isPresent();
    assertThat(linear.playlist(news, "1080p/playlist.m3u8", START.plusSeconds(61))).isEmpty();
    assertThat(linear.next(news, START).orElseThrow().start()).isEqualTo(START.plusSeconds(60));
    assertThatThrownBy(() -> linear.playlist(store.channels().get("a").orElseThrow(),
        "playlist.m3u8", START)).hasMessageContaining("a is not linear");
  }

  @Test
  void anItemDeletedLaterIsSkippedAndAnItemAddedBackPlaysAgain() {
    vod("a", 2);
    vod("b", 3);
    ChannelMetadata news = news(START, "a", "b");
    assertThat(uris(linear.playlist(news, "720p/playlist.m3u8", START.plusSeconds(5))
        .orElseThrow())).contains("../../b/720p/seg_0.ts");

    store.deleteChannel("b");

    // the store tells its listeners on a thread of its own: the next layout is a's 4 s alone
    Eventually.await(WITHIN, "b left out", () -> uris(linear.playlist(news,
        "720p/playlist.m3u8", START.plusSeconds(5)).orElseThrow()).stream()
        .allMatch(u -> u.startsWith("../../a/")));
    vod("b", 3);
    Eventually.await(WITHIN, "b back", () -> uris(linear.playlist(news, "720p/playlist.m3u8",
        START.plusSeconds(5)).orElseThrow()).contains("../../b/720p/seg_0.ts"));
    // with the first item gone, the next one leads
    store.deleteChannel("a");
    Eventually.await(WITHIN, "b first", () -> uris(linear.playlist(news,
        "720p/playlist.m3u8", START.plusSeconds(1)).orElseThrow())
        .equals(List.of("../../b/720p/seg_0.ts")));
    assertThat(linear.playlist(news, "playlist.m3u8", START)).isPresent();
    store.deleteChannel("b");
    Eventually.await(WITHIN, "nothing to play", () -> linear.playlist(news,
        "720p/playlist.m3u8", START.plusSeconds(1)).isEmpty());
  }

  @Test
  void aChangedScheduleIsLaidOutAgain() {
    vod("a", 2);
    vod("b", 3);
    ChannelMetadata first = news(START, "a");
    assertThat(linear.playlist(first, "720p/playlist.m3u8", START.plusSeconds(5))).isPresent();

    ChannelMetadata second = news(START, "b");

    assertThat(uris(linear.playlist(second, "720p/playlist.m3u8", START.plusSeconds(1))
        .orElseThrow())).containsExactly("../../b/720p/seg_0.ts");
  }

  @Test
  void publishingRefusesWhatCannotPlay() {
    vod("a", 2);
    assertThatThrownBy(() -> news(START, "a", "missing"))
        .hasMessageStartingWith("items[1].channel: 'missing' is not a stored channel");
    assertThatThrownBy(() -> LinearChannels.publish(store, "a", "A", Visibility.PUBLIC,
        Schedule.of(START, true, "a"))).hasMessageContaining("'a' is the linear channel itself");
    vod("c", 1);
    assertThatThrownBy(() -> LinearChannels.publish(store, "c", "C", Visibility.PUBLIC,
        Schedule.of(START, true, "a"))).hasMessageContaining("'c' is a channel on demand");
    assertThat(store.channels().get("news")).isEmpty();
  }
}
