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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    while (!Files.exists(index) && System.nanoTime() < deadline) {
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
    if (System.getenv("LIVE_DEBUG") != null) {
      Files.walk(dir).forEach(f -> System.out.println(f));
      System.out.println(Files.readString(dir.resolve("streams/news/360p/index.m3u8")));
      System.out.println(Files.readString(dir.resolve("streams/news/playlist.m3u8")));
      System.out.println(Files.readString(dir.resolve("streams/news/channel.json")));
      System.out.println(Ffprobe.run("-show_entries", "format=duration:stream=codec_name,nb_read_frames", "-count_frames", "-of", "csv=p=0", dir.resolve("streams/news/360p/index.m3u8").toString()));
    }
  }
}
