package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs made to make libav do what it should not: manifests that name other files, and files
 * that would cost more than a transcode is allowed.
 */
class HostileInputTest {
  @TempDir Path dir;

  private final InMemoryMediaStore store = new InMemoryMediaStore();

  @AfterEach
  void close() {
    store.close();
  }

  private Transcoder transcoder(TranscodeLimits limits) {
    return Transcoder.builder().workDirectory(dir.resolve("work")).limits(limits).build();
  }

  /**
   * A manifest named {@code .mp4} that points at a named pipe: if libav opened the pipe, the
   * thread waiting to write into it would wake up. It must not, and the transcode must say the
   * format is not taken. (Without the format list, libav opens the file named by the DASH
   * manifest and by the concat list; it leaves an HLS playlist that lacks the .m3u8 extension
   * alone by itself, which the list must not depend on.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"dash", "hls", "concat"})
  void aManifestIsRefusedBeforeAnythingItNamesIsOpened(String kind) throws Exception {
    Path secret = dir.resolve("private.mp4");
    new ProcessBuilder("mkfifo", secret.toString()).start().waitFor(10, TimeUnit.SECONDS);
    assertThat(secret).exists();
    CountDownLatch opened = new CountDownLatch(1);
    Thread watcher = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(secret)) { // blocks until a reader opens
        opened.countDown();
      } catch (Exception e) {
        // the test ends it by opening the pipe itself
      }
    });
    watcher.setDaemon(true);
    watcher.start();

    Path manifest = dir.resolve("upload.mp4");
    Files.writeString(manifest, switch (kind) {
      case "dash" -> "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\""
          + " type=\"static\" mediaPresentationDuration=\"PT2S\" minBufferTime=\"PT1S\""
          + " profiles=\"urn:mpeg:dash:profile:isoff-on-demand:2011\"><Period><AdaptationSet"
          + " mimeType=\"video/mp4\"><Representation id=\"1\" bandwidth=\"100000\""
          + " codecs=\"avc1.64001e\" width=\"160\" height=\"90\"><BaseURL>file://" + secret
          + "</BaseURL></Representation></AdaptationSet></Period></MPD>\n";
      case "hls" -> "#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\nprivate.mp4\n"
          + "#EXT-X-ENDLIST\n";
      default -> "ffconcat version 1.0\nfile 'private.mp4'\n"; // relative: "safe" to concat
    });

    assertThatThrownBy(() -> transcoder(TranscodeLimits.DEFAULTS).transcode(
        TranscodeRequest.builder(manifest, "ch").build(), store, p -> { }))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("not a media file in a format this transcoder takes");
    assertThat(opened.await(300, TimeUnit.MILLISECONDS)).as("the named file was opened")
        .isFalse();
    assertThat(store.channels().list()).isEmpty();
    Files.newInputStream(secret).close(); // lets the watcher go
  }

  @Test
  void anInputLongerThanTheLimitIsRefusedBeforeDecoding() {
    Path input = dir.resolve("long.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(160, 90, 4));
    Transcoder transcoder = transcoder(TranscodeLimits.DEFAULTS
        .withMaxDuration(Duration.ofSeconds(2)));
    int[] reports = {0};
    assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(input, "ch").build(),
        store, p -> reports[0]++))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("longer than").hasMessageContaining("maxDuration");
    assertThat(reports[0]).as("progress reports: nothing was decoded").isZero();
  }

  @Test
  void aTranscodeThatWritesTooMuchOrRunsTooLongStops() {
    Path input = dir.resolve("clip.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 3));
    TranscodeRequest request = TranscodeRequest.builder(input, "ch")
        .segmentDuration(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> transcoder(TranscodeLimits.DEFAULTS.withMaxOutputBytes(2_000))
        .transcode(request, store, p -> { }))
        .isInstanceOf(TranscodeException.class).hasMessageContaining("maxOutputBytes");
    assertThatThrownBy(() -> transcoder(TranscodeLimits.DEFAULTS
        .withMaxTime(Duration.ofNanos(1))).transcode(request, store, p -> { }))
        .isInstanceOf(TranscodeException.class).hasMessageContaining("maxTime");
    assertThat(store.channels().list()).isEmpty();
    assertThat(dir.resolve("work")).isEmptyDirectory();
  }

  @Test
  void widerFormatsAreAnExplicitChoice() {
    assertThatThrownBy(() -> TranscodeLimits.DEFAULTS.withInputFormats(Set.of("file://x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputFormats");
    assertThatThrownBy(() -> TranscodeLimits.DEFAULTS.withInputFormats(Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
