package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's ffmpeg publishing MPEG-TS over SRT, as a caller with the stream key's secret as its
 * passphrase, into a live channel's own SRT port; read back by ffprobe.
 */
class LiveSrtTest {
  @TempDir Path dir;
  FileSystemMediaStore store;
  LiveIngest ingest;

  @BeforeEach
  void start() {
    LivePublishers.requireFfmpeg();
    Ffprobe.require();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    ingest = LiveIngest.builder(Transcoder.create(), store).host("127.0.0.1").rtmpPort(0)
        .reconnectGrace(Duration.ofSeconds(3)).idleTimeout(Duration.ofSeconds(3)).build()
        .start();
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

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  private static void await(String what, Callable<Boolean> until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (!until.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited in vain for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static String secret(String streamKey) {
    return streamKey.substring(streamKey.indexOf("?key=") + "?key=".length());
  }

  private static String srt(int port, String passphrase) {
    return "srt://127.0.0.1:" + port + "?pbkeylen=16&passphrase=" + passphrase;
  }

  @Test
  void ffmpegPublishesOverSrtWithThePassphraseAndOthersAreTurnedAway() throws Exception {
    int port = freeUdpPort();
    String key = LiveChannels.createOrUpdate(store, "field", "Field", Visibility.PUBLIC,
        LiveSettings.of("180p:200k").withSrtPort(port)).streamKey();
    await("the SRT listener", () -> ingest.listeningSrtPort("field").isPresent());
    Thread.sleep(500); // the listener thread opens its port

    // a wrong passphrase, and none: libsrt's handshake turns both away, nothing is written
    Process wrong = LivePublishers.srt(srt(port, "not-the-secret-at-all"), "320x180", 3,
        dir.resolve("wrong.log"));
    Process none = LivePublishers.srt("srt://127.0.0.1:" + port, "320x180", 3,
        dir.resolve("none.log"));
    assertThat(wrong.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(none.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(wrong.exitValue()).as(Files.readString(dir.resolve("wrong.log"))).isNotZero();
    assertThat(none.exitValue()).as(Files.readString(dir.resolve("none.log"))).isNotZero();
    assertThat(dir.resolve("streams/field/180p")).doesNotExist();
    assertThat(ingest.isPublishing("field")).isFalse();

    // the right one goes live, and ffprobe reads what it made
    Process ffmpeg = LivePublishers.srt(srt(port, secret(key)), "320x180", 9,
        dir.resolve("ffmpeg.log"));
    await("SRT segments", () -> Files.exists(dir.resolve("streams/field/180p/index.m3u8"))
        && playlist("field/180p/index.m3u8").segments().size() >= 2);
    assertThat(ingest.isPublishing("field")).isTrue();
    assertThat(ingest.stats("field").orElseThrow().ingestBitsPerSecond()).isPositive();
    assertThat(playlist("field/180p/index.m3u8").endList()).isFalse();
    String streams = Ffprobe.run("-show_entries", "stream=codec_name,width,height",
        "-of", "csv=p=0", dir.resolve("streams/field/playlist.m3u8").toString());
    assertThat(streams).contains("h264,320,180").contains("aac");

    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    await("the end of the broadcast", () -> playlist("field/180p/index.m3u8").endList());
    String probed = Ffprobe.run("-show_entries", "format=duration", "-of", "csv=p=0",
        dir.resolve("streams/field/180p/index.m3u8").toString());
    assertThat(Double.parseDouble(probed.strip())).isBetween(7.0, 10.0);
  }

  @Test
  void aNewKeyIsTheNextCallersPassphraseAndADroppedCallerComesBack() throws Exception {
    int port = freeUdpPort();
    String old = LiveChannels.createOrUpdate(store, "cam", "Cam", Visibility.PUBLIC,
        LiveSettings.of("source").withSrtPort(port)).streamKey();
    String key = LiveChannels.newKey(store, "cam");
    Thread.sleep(6500); // the listener notices the new key within five seconds

    Process stale = LivePublishers.srt(srt(port, secret(old)), "320x180", 3,
        dir.resolve("stale.log"));
    assertThat(stale.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stale.exitValue()).as(Files.readString(dir.resolve("stale.log"))).isNotZero();
    assertThat(dir.resolve("streams/cam/source")).doesNotExist();

    Process first = LivePublishers.srt(srt(port, secret(key)), "320x180", 5,
        dir.resolve("first.log"));
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await("the first session", () -> Files.exists(dir.resolve("streams/cam/source/index.m3u8"))
        && !ingest.isPublishing("cam"));
    long sequence = playlist("cam/source/index.m3u8").mediaSequence();
    int segments = playlist("cam/source/index.m3u8").segments().size();

    // back within the grace: the same playlist goes on after a discontinuity
    Process again = LivePublishers.srt(srt(port, secret(key)), "320x180", 5,
        dir.resolve("again.log"));
    assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).as(Files.readString(dir.resolve("again.log"))).isZero();
    await("the end of the broadcast", () -> playlist("cam/source/index.m3u8").endList());
    MediaPlaylist whole = playlist("cam/source/index.m3u8");
    assertThat(whole.mediaSequence()).isEqualTo(sequence);
    assertThat(whole.segments().size()).isGreaterThan(segments);
    assertThat(whole.segments().get(segments).discontinuity()).isTrue();
  }
}
