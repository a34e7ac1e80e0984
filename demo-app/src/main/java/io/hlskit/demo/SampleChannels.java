package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.Thumbnails;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few short channels a first run makes when the streams folder has none, so that a new user
 * sees and hears something: synthetic pictures with a tone, generated and transcoded in-process.
 */
final class SampleChannels {
  private static final Logger LOG = LoggerFactory.getLogger(SampleChannels.class);

  private record Sample(String id, String title, int width, int height, int toneHz) {}

  private static final List<Sample> SAMPLES = List.of(
      new Sample("sample-vertical", "Sample: vertical (Reels format)", 360, 640, 440),
      new Sample("sample-landscape", "Sample: landscape", 640, 360, 550),
      new Sample("sample-square", "Sample: square", 480, 480, 660));

  private SampleChannels() {}

  /** Makes the samples when {@code store} lists no channel; logs progress; never throws. */
  static void createIfEmpty(MediaStore store) {
    if (!store.channels().list().isEmpty()) {
      return;
    }
    LOG.info("the streams folder has no channel: making {} short sample channels", SAMPLES.size());
    Path work = null;
    try {
      Transcoder transcoder = Transcoder.create();
      work = Files.createTempDirectory("hlskit-samples-");
      int n = 0;
      for (Sample s : SAMPLES) {
        Path file = work.resolve(s.id() + ".mp4");
        SampleVideo.write(file, SampleVideo.Spec.mp4(s.width(), s.height(), 12).withTone(s.toneHz()));
        transcoder.transcode(TranscodeRequest.builder(file, s.id()).title(s.title())
            .profile(Profile.LOW).segmentDuration(Duration.ofSeconds(4))
            // 12 s: a thumbnail every 2 s, so that dragging the bar shows something
            .thumbnails(Thumbnails.DEFAULT.every(Duration.ofSeconds(2))).build(), store,
            ProgressListener.none());
        Files.deleteIfExists(file);
        LOG.info("sample channel {}/{} ready: {}", ++n, SAMPLES.size(), s.id());
      }
    } catch (HlsException | IOException e) {
      LOG.warn("could not make the sample channels ({}); convert a video with: java -jar"
          + " hlskit-demo.jar convert video.mp4 canal1 medium", e.getMessage());
    } finally {
      if (work != null) {
        try {
          Files.deleteIfExists(work);
        } catch (IOException e) {
          LOG.debug("could not remove {}", work, e);
        }
      }
    }
  }
}
