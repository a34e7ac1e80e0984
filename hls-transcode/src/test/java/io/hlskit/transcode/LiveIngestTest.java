package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Debian's ffmpeg publishing over RTMP into a live channel, read back by ffprobe. */
class LiveIngestTest {
  @TempDir Path dir;
  FileSystemMediaStore store;
  LiveIngest ingest;

  @BeforeEach
  void start() {
    LivePublishers.requireFfmpeg();
    Ffprobe.require();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    ingest = LiveIngest.builder(Transcoder.create(), store).host("127.0.0.1").rtmpPort(0)
        .reconnectGrace(Duration.ofSeconds(2)).build().start();
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

  private String url(String streamKey) {
    return "rtmp://127.0.0.1:" + ingest.rtmpPort() + "/live/" + streamKey;
  }

  private MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  @Test
  void ffmpegPublishesIntoALiveLadderThatGrowsAndEnds() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "news", "News", Visibility.PUBLIC,
        LiveSettings.of("360p:600k,180p:200k")).streamKey();
    Process ffmpeg = LivePublishers.rtmp(url(key), "640x360", 9, dir.resolve("ffmpeg.log"));
    Path index = dir.resolve("streams/news/360p/index.m3u8");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // with Low-Latency HLS the playlist appears with the first part, before a whole segment
    while (!(Files.exists(index) && !playlist("news/360p/index.m3u8").segments().isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(index).as(Files.exists(dir.resolve("ffmpeg.log"))
        ? Files.readString(dir.resolve("ffmpeg.log")) : "").exists();
    MediaPlaylist first = playlist("news/360p/index.m3u8");
    assertThat(first.endList()).isFalse();
    assertThat(first.segments().get(0).programDateTime()).isPresent();
    // live while it runs: the channel says so, and ffprobe reads the playlist it has
    ChannelMetadata live = store.channels().get("news").orElseThrow();
    assertThat(live.live().orElseThrow().state()).isEqualTo(LiveSettings.State.LIVE);
    Thread.sleep(2500);
    assertThat(playlist("news/360p/index.m3u8").segments().size())
        .isGreaterThan(first.segments().size());
    String streams = Ffprobe.run("-show_entries", "stream=codec_name,width,height",
        "-of", "csv=p=0", dir.resolve("streams/news/playlist.m3u8").toString());
    assertThat(streams).contains("h264,640,360").contains("h264,320,180").contains("aac");

    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!playlist("news/360p/index.m3u8").endList() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    MediaPlaylist ended = playlist("news/360p/index.m3u8");
    assertThat(ended.endList()).isTrue();
    assertThat(ended.totalDuration().toMillis() / 1000.0).isBetween(7.0, 11.0);
    assertThat(store.channels().get("news").orElseThrow().live().orElseThrow().state())
        .isEqualTo(LiveSettings.State.ENDED);
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> until)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!until.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited in vain for " + what);
      }
      Thread.sleep(100);
    }
  }

  private boolean segments(String key, int n) throws Exception {
    return Files.exists(dir.resolve("streams").resolve(key))
        && playlist(key).segments().size() >= n;
  }

  @Test
  void threePublishersAtOnceOnOnePortIntoThreeChannels() throws Exception {
    List<Process> publishers = new java.util.ArrayList<>();
    for (String id : List.of("uno", "dos", "tres")) {
      String key = LiveChannels.createOrUpdate(store, id, id, Visibility.PUBLIC,
          LiveSettings.of("180p:200k")).streamKey();
      publishers.add(LivePublishers.rtmp(url(key), "320x180", 8, dir.resolve(id + ".log")));
    }
    for (String id : List.of("uno", "dos", "tres")) {
      await(id + " live", () -> segments(id + "/180p/index.m3u8", 2));
    }
    assertThat(ingest.publishing()).containsExactlyInAnyOrder("uno", "dos", "tres");
    for (Process p : publishers) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    for (String id : List.of("uno", "dos", "tres")) {
      await(id + " ended", () -> playlist(id + "/180p/index.m3u8").endList());
      String probed = Ffprobe.run("-show_entries", "format=duration", "-of", "csv=p=0",
          dir.resolve("streams/" + id + "/180p/index.m3u8").toString());
      assertThat(Double.parseDouble(probed.strip())).as(id).isBetween(7.0, 9.5);
    }
  }

  @Test
  void aBroadcastThatEndsBecomesItsRecording() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "show", "Show", Visibility.PUBLIC,
        LiveSettings.of("180p:200k").withRecord(LiveSettings.Record.VOD)
            .withDvr(Duration.ofSeconds(6))).streamKey();
    Process ffmpeg = LivePublishers.rtmp(url(key), "320x180", 11, dir.resolve("show.log"));
    assertThat(ffmpeg.waitFor(40, TimeUnit.SECONDS)).isTrue();
    await("the recording", () -> store.channels().get("show").map(m -> !m.isLive())
        .orElse(false));
    ChannelMetadata vod = store.channels().get("show").orElseThrow();
    assertThat(vod.duration().toMillis() / 1000.0).isBetween(10.0, 12.0);
    MediaPlaylist whole = playlist("show/180p/index.m3u8");
    assertThat(whole.endList()).isTrue();
    assertThat(whole.mediaSequence()).isZero();
    // the DVR window was 6 s; the recording holds all 11 s, read whole by ffprobe
    String probed = Ffprobe.run("-show_entries", "format=duration", "-of", "csv=p=0",
        dir.resolve("streams/show/playlist.m3u8").toString());
    assertThat(Double.parseDouble(probed.strip())).isBetween(10.0, 12.0);
  }

  /** In MPEG-TS, and in fragmented MP4, whose init sections the recording needs as well. */
  @ParameterizedTest
  @EnumSource(LiveSettings.Format.class)
  void anArchivedBroadcastIsAChannelOfItsOwnAndTheLiveOneWaitsAgain(LiveSettings.Format format)
      throws Exception {
    String talk = format == LiveSettings.Format.TS ? "talk" : "talk" + format.jsonName();
    String key = LiveChannels.createOrUpdate(store, talk, "Talk", Visibility.PUBLIC,
        LiveSettings.of("180p:200k").withRecord(LiveSettings.Record.ARCHIVE).withFormat(format))
        .streamKey();
    Process ffmpeg = LivePublishers.rtmp(url(key), "320x180", 5, dir.resolve("talk.log"));
    assertThat(ffmpeg.waitFor(40, TimeUnit.SECONDS)).isTrue();
    await("the archive", () -> store.channels().list().stream()
        .anyMatch(m -> m.id().startsWith(talk + "-")));
    ChannelMetadata archive = store.channels().list().stream()
        .filter(m -> m.id().startsWith(talk + "-")).findFirst().orElseThrow();
    assertThat(archive.id()).matches(talk + "-\\d{8}-\\d{4}");
    assertThat(archive.isLive()).isFalse();
    assertThat(archive.title()).startsWith("Talk (");
    String probed = Ffprobe.run("-show_entries", "format=duration", "-of", "csv=p=0",
        dir.resolve("streams/" + archive.id() + "/playlist.m3u8").toString());
    assertThat(Double.parseDouble(probed.strip())).isBetween(4.0, 6.0);
    ChannelMetadata waiting = store.channels().get(talk).orElseThrow();
    assertThat(waiting.live().orElseThrow().state()).isEqualTo(LiveSettings.State.WAITING);
    assertThat(dir.resolve("streams/" + talk + "/playlist.m3u8")).doesNotExist();
    assertThat(dir.resolve("streams/" + talk + "/180p")).doesNotExist();
  }

  @Test
  void aPublisherBackThroughAnotherInstanceContinuesTheSamePlaylists() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "relay", "Relay", Visibility.PUBLIC,
        LiveSettings.of("180p:200k")).streamKey();
    Process first = LivePublishers.rtmp(url(key), "320x180", 30, dir.resolve("relay1.log"));
    await("the first segments", () -> segments("relay/180p/index.m3u8", 2));
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    MediaPlaylist dropped = playlist("relay/180p/index.m3u8");
    long before = dropped.segments().size();
    try (FileSystemMediaStore otherStore = FileSystemMediaStore.at(dir.resolve("streams"));
        LiveIngest other = LiveIngest.builder(Transcoder.create(), otherStore)
            .host("127.0.0.1").rtmpPort(0).reconnectGrace(Duration.ofSeconds(2)).build()
            .start()) {
      Process second = LivePublishers.rtmp("rtmp://127.0.0.1:" + other.rtmpPort() + "/live/"
          + key, "320x180", 8, dir.resolve("relay2.log"));
      await("a discontinuity", () -> playlist("relay/180p/index.m3u8").segments().stream()
          .anyMatch(io.hlskit.core.playlist.MediaSegment::discontinuity));
      Thread.sleep(3000); // the first instance's grace passes meanwhile
      MediaPlaylist going = playlist("relay/180p/index.m3u8");
      assertThat(going.endList()).as("the first instance ended nothing").isFalse();
      assertThat(going.segments().size()).isGreaterThan((int) before);
      assertThat(going.mediaSequence()).isEqualTo(dropped.mediaSequence());
      assertThat(going.segments().get(0).uri()).isEqualTo(dropped.segments().get(0).uri());
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
      await("the end", () -> playlist("relay/180p/index.m3u8").endList());
    }
  }

  @Test
  void gstreamerAndEnhancedRtmpHevcAndAv1PublishToo() throws Exception {
    LivePublishers.requireGstreamer();
    String gst = LiveChannels.createOrUpdate(store, "gst", "GStreamer", Visibility.PUBLIC,
        LiveSettings.of("180p:200k")).streamKey();
    String hevc = LiveChannels.createOrUpdate(store, "hevc", "HEVC", Visibility.PUBLIC,
        LiveSettings.of("180p:200k")).streamKey();
    String av1 = LiveChannels.createOrUpdate(store, "av1", "AV1", Visibility.PUBLIC,
        LiveSettings.of("180p:200k")).streamKey();
    Process g = LivePublishers.gstreamer(url(gst), 6, dir.resolve("gst.log"));
    Process h = LivePublishers.hevc(url(hevc), 6, dir.resolve("hevc.log"));
    Process a = LivePublishers.av1(url(av1), 6, dir.resolve("av1.log"));
    assertThat(g.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(h.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(a.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(g.exitValue()).as(Files.readString(dir.resolve("gst.log"))).isZero();
    assertThat(h.exitValue()).as(Files.readString(dir.resolve("hevc.log"))).isZero();
    assertThat(a.exitValue()).as(Files.readString(dir.resolve("av1.log"))).isZero();
    for (String id : List.of("gst", "hevc", "av1")) {
      await(id + " ended", () -> Files.exists(dir.resolve("streams/" + id + "/180p/index.m3u8"))
          && playlist(id + "/180p/index.m3u8").endList());
      String probed = Ffprobe.run("-show_entries", "stream=codec_name:format=duration",
          "-of", "csv=p=0", dir.resolve("streams/" + id + "/playlist.m3u8").toString());
      assertThat(probed).as(id).contains("h264").contains("aac");
      assertThat(playlist(id + "/180p/index.m3u8").totalDuration().toMillis() / 1000.0)
          .as(id).isBetween(4.5, 7.5);
    }
  }
}
