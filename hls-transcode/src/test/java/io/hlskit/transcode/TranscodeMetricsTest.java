package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transcoder given a meter registry times its transcodes by outcome and says its speed. */
class TranscodeMetricsTest {
  @TempDir
  Path dir;

  @Test
  void transcodesAreTimedByOutcomeWithTheLastSpeed() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Transcoder transcoder = Transcoder.builder().workDirectory(dir.resolve("work"))
        .meterRegistry(registry).build();
    Path input = dir.resolve("in.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 2));
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      transcoder.transcode(TranscodeRequest.builder(input, "uno").profile(Profile.LOW)
          .segmentDuration(Duration.ofSeconds(2)).build(), store, ProgressListener.none());
      assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(
          dir.resolve("missing.mp4"), "dos").build(), store, ProgressListener.none()))
          .isInstanceOf(TranscodeException.class);
    }
    assertThat(registry.get("hlskit.transcode").tag("result", "done").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("hlskit.transcode").tag("result", "failed").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("hlskit.transcode").tag("result", "cancelled").timer().count())
        .isZero();
    assertThat(registry.get("hlskit.transcode.speed").gauge().value()).isGreaterThan(0.1);
  }
}
