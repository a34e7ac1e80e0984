package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PartialSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PreloadHint;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Low-Latency HLS from a real publisher: parts written as they complete, playlists that list
 * them by the rules (our strict parser, a third-party one, ffprobe), and each new edge announced
 * only once the store holds it.
 */
class LiveLowLatencyTest {
  @TempDir Path dir;
  FileSystemMediaStore store;
  LiveIngest ingest;
  final LiveEdge edge = LiveEdge.inProcess();
  /** Positions announced, and whether the playlist in the store held each when it was. */
  final List<LiveEdge.Position> announced = new CopyOnWriteArrayList<>();
  final List<String> notYetStored = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    LivePublishers.requireFfmpeg();
    Ffprobe.require();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    edge.listen(p -> {
      announced.add(p);
      try {
        MediaPlaylist now = playlist(p.playlistKey());
        if (!holds(now, p)) {
          notYetStored.add(p.toString());
        }
      } catch (Exception e) {
        notYetStored.add(p + ": " + e);
      }
    });
    ingest = LiveIngest.builder(Transcoder.create(), store).host("127.0.0.1").rtmpPort(0)
        .reconnectGrace(Duration.ofSeconds(1)).liveEdge(edge).build().start();
  }

  @AfterEach
  void stop() {
    if (ingest != null) {
      ingest.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Whether {@code p}'s playlist lists the part (or segment) the position names. */
  private static boolean holds(MediaPlaylist p, LiveEdge.Position at) {
    long open = p.mediaSequence() + p.segments().size();
    if (at.ended()) {
      return p.endList();
    }
    if (!at.complete()) {
      return at.msn() == open && p.openSegment().map(o -> o.parts().size()).orElse(0)
          == at.part() + 1;
    }
    return at.msn() == open - 1 && p.openSegment().isEmpty();
  }

  private MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  private String url(String streamKey) {
    return "rtmp://127.0.0.1:" + ingest.rtmpPort() + "/live/" + streamKey;
  }

  @Test
  void aLiveLadderIsWrittenInPartsThatPlaylistsListByTheRules() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "fast", "Fast", Visibility.PUBLIC,
        LiveSettings.of("360p:600k,180p:200k")).streamKey();
    Process ffmpeg = LivePublishers.rtmp(url(key), "640x360", 9, dir.resolve("ffmpeg.log"));
    Path index = dir.resolve("streams/fast/360p/index.m3u8");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    MediaPlaylist p = null;
    while (System.nanoTime() < deadline) {
      if (Files.exists(index)) {
        p = playlist("fast/360p/index.m3u8");
        if (p.segments().size() >= 2 && p.openSegment().isPresent()) {
          break;
        }
      }
      Thread.sleep(20);
    }
    assertThat(p).as(Files.readString(dir.resolve("ffmpeg.log"))).isNotNull();
    String text = Files.readString(index);
    assertThat(p.partTarget()).contains(LiveSettings.DEFAULT_PART);
    assertThat(p.serverControl().orElseThrow().canBlockReload()).isTrue();
    assertThat(p.serverControl().orElseThrow().partHoldBack())
        .contains(LiveSettings.DEFAULT_PART.multipliedBy(3));
    assertThat(p.serverControl().orElseThrow().canSkipUntil())
        .contains(Duration.ofSeconds(12));
    // every segment in the playlist has its parts: 2 s of 30 pictures a second, 10 a part
    for (MediaSegment s : p.segments()) {
      assertThat(s.parts()).as(text).hasSize(6);
      assertThat(s.parts().get(0).independent()).isTrue();
      assertThat(s.parts().subList(1, 6)).noneMatch(PartialSegment::independent);
      Duration sum = s.parts().stream().map(PartialSegment::duration)
          .reduce(Duration.ZERO, Duration::plus);
      assertThat(sum.minus(s.duration()).abs()).isLessThan(Duration.ofMillis(40));
      // a segment's bytes are its parts' bytes, in order
      ByteArrayOutputStream parts = new ByteArrayOutputStream();
      for (PartialSegment part : s.parts()) {
        parts.write(Files.readAllBytes(index.resolveSibling(part.uri())));
      }
      assertThat(parts.toByteArray()).isEqualTo(Files.readAllBytes(
          index.resolveSibling(s.uri())));
    }
    assertThat(p.openSegment().orElseThrow().parts()).isNotEmpty();
    PreloadHint hint = p.preloadHints().get(0);
    assertThat(hint.type()).isEqualTo(PreloadHint.Type.PART);
    assertThat(index.resolveSibling(hint.uri())).doesNotExist();
    assertThat(p.renditionReports()).singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("../180p/index.m3u8"));
    // an independent reader of LL-HLS, strict
    var theirs = new MediaPlaylistParser(ParsingMode.STRICT).readPlaylist(text);
    assertThat(theirs.partialSegments()).hasSameSizeAs(p.openSegment().orElseThrow().parts());
    // a player that knows no parts plays the segments
    String streams = Ffprobe.run("-show_entries", "stream=codec_name,width,height",
        "-of", "csv=p=0", dir.resolve("streams/fast/playlist.m3u8").toString());
    assertThat(streams).contains("h264,640,360").contains("h264,320,180").contains("aac");

    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!playlist("fast/360p/index.m3u8").endList() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    MediaPlaylist ended = playlist("fast/360p/index.m3u8");
    assertThat(ended.endList()).isTrue();
    assertThat(ended.preloadHints()).isEmpty();
    assertThat(ended.openSegment()).isEmpty();

    // the end is announced once the closed playlist is written: a moment after it is readable
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (announced.stream().noneMatch(a -> a.rendition().equals("360p") && a.ended())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(notYetStored).as("announced before the store held it").isEmpty();
    List<LiveEdge.Position> of360 = announced.stream()
        .filter(a -> a.rendition().equals("360p")).toList();
    assertThat(of360.size()).as("about three parts a second for 9 s").isBetween(20, 40);
    assertThat(of360.get(of360.size() - 1).ended()).isTrue();
    for (int i = 1; i < of360.size() - 1; i++) {
      LiveEdge.Position a = of360.get(i - 1);
      LiveEdge.Position b = of360.get(i);
      assertThat(b.msn() > a.msn() || b.msn() == a.msn() && b.part() > a.part()
          || b.msn() == a.msn() && b.complete() && !a.complete())
          .as(a + " then " + b).isTrue();
    }
    // parts that left the playlist leave the store too, a segment later
    long partFiles;
    try (var files = Files.list(index.getParent())) {
      partFiles = files.filter(f -> f.getFileName().toString().matches("seg_\\d+\\.\\d+\\.ts"))
          .count();
    } catch (NoSuchFileException e) {
      partFiles = 0;
    }
    long listed = ended.segments().stream().mapToLong(s -> s.parts().size()).sum();
    assertThat(partFiles).isBetween(listed, listed + 6);
  }

  @Test
  void plainLiveHlsHasNoParts() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "plain", "Plain", Visibility.PUBLIC,
        LiveSettings.of("180p:200k").withPartTarget(Duration.ZERO)).streamKey();
    Process ffmpeg = LivePublishers.rtmp(url(key), "320x180", 5, dir.resolve("ffmpeg.log"));
    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path index = dir.resolve("streams/plain/180p/index.m3u8");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(Files.exists(index) && playlist("plain/180p/index.m3u8").endList())
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String text = Files.readString(index);
    assertThat(text).doesNotContain("#EXT-X-PART").doesNotContain("SERVER-CONTROL");
    try (var files = Files.list(index.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.matches("seg_\\d+\\.\\d+\\.ts"));
    }
    assertThat(announced).filteredOn(a -> !a.ended()).isEmpty();
  }

  @Test
  void fragmentedMp4PartsAreWholeFragmentsBehindAnInitSection() throws Exception {
    String ladder = LiveChannels.createOrUpdate(store, "cmaf", "CMAF", Visibility.PUBLIC,
        LiveSettings.of("360p:600k").withFormat(LiveSettings.Format.FMP4)).streamKey();
    String copied = LiveChannels.createOrUpdate(store, "cmafcopy", "CMAF copied",
        Visibility.PUBLIC, LiveSettings.of("source").withFormat(LiveSettings.Format.FMP4))
        .streamKey();
    Process encoded = LivePublishers.rtmp(url(ladder), "640x360", 7, dir.resolve("a.log"));
    Process copy = LivePublishers.rtmp(url(copied), "320x180", 7, dir.resolve("b.log"));
    assertThat(encoded.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(copy.waitFor(40, TimeUnit.SECONDS)).isTrue();
    for (String rendition : List.of("cmaf/360p", "cmafcopy/source")) {
      Path index = dir.resolve("streams/" + rendition + "/index.m3u8");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!(Files.exists(index) && playlist(rendition + "/index.m3u8").endList())
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String text = Files.readString(index);
      MediaPlaylist p = PlaylistParser.strict().parseMedia(text);
      assertThat(p.endList()).as(text).isTrue();
      assertThat(p.version()).isGreaterThanOrEqualTo(6);
      assertThat(p.segments()).as(text).hasSizeGreaterThanOrEqualTo(3);
      String init = p.segments().get(0).map().orElseThrow().uri();
      assertThat(init).matches("init_\\d+\\.mp4");
      byte[] initBytes = Files.readAllBytes(index.resolveSibling(init));
      assertThat(box(initBytes, 0)).isEqualTo("ftyp");
      MediaSegment first = p.segments().get(0);
      assertThat(first.uri()).matches("seg_\\d+\\.m4s");
      ByteArrayOutputStream parts = new ByteArrayOutputStream();
      for (PartialSegment part : first.parts()) {
        assertThat(part.uri()).matches("seg_\\d+\\.\\d+\\.m4s");
        byte[] bytes = Files.readAllBytes(index.resolveSibling(part.uri()));
        assertThat(box(bytes, 0)).as("a part is whole fragments").isEqualTo("moof");
        parts.write(bytes);
      }
      byte[] segment = Files.readAllBytes(index.resolveSibling(first.uri()));
      assertThat(parts.toByteArray()).isEqualTo(segment);
      // the initialization section and the segment make a file players read: about two
      // seconds of pictures, sound beside them from the same moment
      Path joined = dir.resolve(rendition.replace('/', '-') + ".mp4");
      Files.write(joined, initBytes);
      Files.write(joined, segment, java.nio.file.StandardOpenOption.APPEND);
      String frames = Ffprobe.run("-select_streams", "v:0", "-count_frames", "-show_entries",
          "stream=codec_name,nb_read_frames", "-of", "csv=p=0", joined.toString());
      assertThat(frames).startsWith("h264,");
      assertThat(Integer.parseInt(frames.strip().split(",")[1])).isBetween(50, 70);
      String starts = Ffprobe.run("-show_entries", "stream=codec_type,start_time", "-of",
          "csv=p=0", joined.toString());
      double[] t = starts.lines().filter(l -> !l.isBlank())
          .mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
      assertThat(t).as(starts).hasSize(2);
      assertThat(Math.abs(t[0] - t[1])).as("video and audio start together: " + starts)
          .isLessThan(0.1);
      assertThat(t[0]).as("decode times are the channel's timeline, not counted from 0")
          .isGreaterThan(1.0);
      // a player reads the whole playlist
      String streams = Ffprobe.run("-show_entries", "stream=codec_name", "-of", "csv=p=0",
          index.toString());
      assertThat(streams).contains("h264").contains("aac");
    }
  }

  @Test
  void aBroadcastThatStartsAgainNamesItsOwnInitSectionAndTheOldOneGoesWithItsSegments()
      throws Exception {
    String key = LiveChannels.createOrUpdate(store, "again", "Again", Visibility.PUBLIC,
        LiveSettings.of("source").withFormat(LiveSettings.Format.FMP4)
            .withDvr(Duration.ofSeconds(6))).streamKey();
    Process first = LivePublishers.rtmp(url(key), "320x180", 4, dir.resolve("first.log"));
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // back within the grace: the same broadcast, a new session after a discontinuity
    Process second = LivePublishers.rtmp(url(key), "320x180", 14, dir.resolve("second.log"));
    Path folder = dir.resolve("streams/again/source");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    MediaPlaylist across = null;
    while (System.nanoTime() < deadline) {
      across = playlist("again/source/index.m3u8");
      if (across.segments().stream().anyMatch(MediaSegment::discontinuity)) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(across.segments()).anyMatch(MediaSegment::discontinuity);
    List<String> maps = across.segments().stream()
        .map(seg -> seg.map().orElseThrow().uri()).distinct().toList();
    assertThat(maps).as("an init section per session").hasSize(2);
    assertThat(second.waitFor(40, TimeUnit.SECONDS)).isTrue();
    // the first session's segments left the 6 s window: its init section left with them
    MediaPlaylist last = playlist("again/source/index.m3u8");
    String now = last.segments().get(last.segments().size() - 1).map().orElseThrow().uri();
    try (var files = Files.list(folder)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("init_")))
          .containsExactly(now);
    }
    assertThat(now).isEqualTo(maps.get(1));
  }

  /** The type of the ISO BMFF box at {@code offset}. */
  private static String box(byte[] bytes, int offset) {
    return new String(bytes, offset + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
