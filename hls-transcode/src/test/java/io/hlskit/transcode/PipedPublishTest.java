package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishing;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams a browser's MediaRecorder would send (WebM with VP8 and Opus, fragmented MP4 with
 * H.264 and AAC; made by Debian's ffmpeg) fed in chunks, in real time, through {@link
 * LiveIngest#publish}: each becomes its channel's live H.264/AAC ladder, read back by ffprobe;
 * refusals say why, bytes that are no media stop the publish with a reason.
 */
class PipedPublishTest {
  @TempDir Path dir;
  FileSystemMediaStore store;
  LiveIngest ingest;

  @BeforeEach
  void start() {
    LivePublishers.requireFfmpeg();
    Ffprobe.require();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    ingest = LiveIngest.builder(Transcoder.create(), store).host("127.0.0.1").rtmpPort(0)
        .idleTimeout(Duration.ofSeconds(2)).reconnectGrace(Duration.ofSeconds(1)).build()
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

  /** What the access policy reads of a caller without credentials. */
  static final AccessRequest NOBODY = new AccessRequest() {
    @Override
    public Optional<String> header(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<String> queryParameter(String name) {
      return Optional.empty();
    }

    @Override
    public String path() {
      return "/ws/publish";
    }

    @Override
    public String remoteAddress() {
      return "127.0.0.1";
    }
  };

  private byte[] recording(String name, String... codecs) throws Exception {
    Path out = dir.resolve(name);
    List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner",
        "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "6"));
    command.addAll(List.of(codecs));
    command.add(out.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".log"))).isZero();
    return Files.readAllBytes(out);
  }

  /** Sends {@code bytes} in 20 pieces over six seconds, minding back-pressure. */
  private static void send(LivePublishing.Publication publication, byte[] bytes)
      throws Exception {
    int pieces = 20;
    for (int i = 0; i < pieces; i++) {
      if (!publication.write(Arrays.copyOfRange(bytes, bytes.length * i / pieces,
          bytes.length * (i + 1) / pieces))) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        publication.onDrained(() -> drained.complete(null));
        drained.get(10, TimeUnit.SECONDS);
      }
      Thread.sleep(300);
    }
    publication.end(true);
  }

  private MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  private void awaitEnded(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (store.channels().get(id).orElseThrow().live().orElseThrow().state()
        != LiveSettings.State.ENDED) {
      assertThat(System.nanoTime()).as("the broadcast of " + id + " ends").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private String secret(String streamKey) {
    return streamKey.substring(streamKey.indexOf("?key=") + 5);
  }

  @Test
  void webmWithVp8AndOpusBecomesALiveH264Ladder() throws Exception {
    byte[] webm = recording("cam.webm", "-c:v", "libvpx", "-deadline", "realtime",
        "-b:v", "500k", "-c:a", "libopus", "-f", "webm");
    String key = LiveChannels.createOrUpdate(store, "cam", "Cam", Visibility.PUBLIC,
        LiveSettings.of("240p:400k,144p:150k")).streamKey();
    LivePublishing.Publication publication = ingest.publish(new LivePublishing.Request("cam",
        Optional.of(secret(key)), NOBODY, Optional.of("webm")));
    assertThat(ingest.isPublishing("cam")).isTrue();
    // one publisher at a time
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("cam",
        Optional.of(secret(key)), NOBODY, Optional.of("webm"))))
        .isInstanceOfSatisfying(LivePublishException.class, e -> assertThat(e.reason())
            .isEqualTo(LivePublishException.Reason.BUSY));
    send(publication, webm);
    awaitEnded("cam");
    MediaPlaylist ended = playlist("cam/240p/index.m3u8");
    assertThat(ended.totalDuration().toMillis() / 1000.0).isBetween(4.5, 7.0);
    String streams = Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of",
        "csv=p=0", dir.resolve("streams/cam/playlist.m3u8").toString());
    assertThat(streams).contains("h264,320,240").contains("h264,192,144").contains("aac");
    assertThat(publication.bytes()).isEqualTo(webm.length);
  }

  @Test
  void fragmentedMp4WithH264AndAacIsTakenWithoutNamingItsContainer() throws Exception {
    byte[] mp4 = recording("cam.mp4", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov",
        "-f", "mp4");
    String key = LiveChannels.createOrUpdate(store, "phone", "Phone", Visibility.PUBLIC,
        LiveSettings.of("240p:400k")).streamKey();
    LivePublishing.Publication publication = ingest.publish(new LivePublishing.Request(
        "phone", Optional.of(secret(key)), NOBODY, Optional.empty()));
    send(publication, mp4);
    awaitEnded("phone");
    assertThat(playlist("phone/240p/index.m3u8").totalDuration().toMillis() / 1000.0)
        .isBetween(4.5, 7.0);
    assertThat(Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of",
        "csv=p=0", dir.resolve("streams/phone/playlist.m3u8").toString()))
        .contains("h264,320,240").contains("aac");
  }

  @Test
  void refusalsSayWhyAndBytesThatAreNoMediaStopThePublish() throws Exception {
    String key = LiveChannels.createOrUpdate(store, "cam", "Cam", Visibility.PUBLIC,
        LiveSettings.of("240p:400k")).streamKey();
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("cam", Optional.empty(),
        NOBODY, Optional.of("webm"))))
        .isInstanceOfSatisfying(LivePublishException.class, e -> assertThat(e.reason())
            .isEqualTo(LivePublishException.Reason.UNAUTHENTICATED))
        .hasMessageContaining("no stream key");
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("cam",
        Optional.of("wrong"), NOBODY, Optional.of("webm"))))
        .hasMessageContaining("wrong stream key");
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("nothing",
        Optional.of("x"), NOBODY, Optional.of("webm"))))
        .isInstanceOfSatisfying(LivePublishException.class, e -> assertThat(e.reason())
            .isEqualTo(LivePublishException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("cam",
        Optional.of(secret(key)), NOBODY, Optional.of("avi"))))
        .hasMessageContaining("send webm or mp4");
    String copy = LiveChannels.createOrUpdate(store, "copy", "Copy", Visibility.PUBLIC,
        LiveSettings.of("source")).streamKey();
    assertThatThrownBy(() -> ingest.publish(new LivePublishing.Request("copy",
        Optional.of(secret(copy)), NOBODY, Optional.of("webm"))))
        .hasMessageContaining("give the channel a ladder");

    LivePublishing.Publication junk = ingest.publish(new LivePublishing.Request("cam",
        Optional.of(secret(key)), NOBODY, Optional.of("webm")));
    CompletableFuture<String> stopped = new CompletableFuture<>();
    junk.onStopped(stopped::complete);
    byte[] text = "this is not a video, only words ".repeat(4000).getBytes();
    junk.write(text);
    assertThat(stopped.get(20, TimeUnit.SECONDS)).contains("could not be opened as webm");
    // the channel is free again for a real publisher
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ingest.isPublishing("cam") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ingest.isPublishing("cam")).isFalse();
  }
}
