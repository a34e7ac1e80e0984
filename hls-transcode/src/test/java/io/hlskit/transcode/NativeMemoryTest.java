package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many transcodes in one JVM, good inputs and bad ones (failing before and after the output is
 * started, and in a rendition's own thread), jobs cancelled running and waiting: native memory and
 * file descriptors must settle, and no temporary folder may be left. Every libav object is freed on every path, or this grows.
 */
class NativeMemoryTest {
  @TempDir
  Path dir;

  private static long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void residentMemoryAndDescriptorsSettleOverManyTranscodes() throws Exception {
    Path work = dir.resolve("work");
    Transcoder transcoder = Transcoder.builder().workDirectory(work).build();
    Path good = dir.resolve("good.mp4");
    SampleVideo.write(good, SampleVideo.Spec.mp4(320, 180, 2));
    Path notMedia = dir.resolve("text.mp4");
    Files.writeString(notMedia, "not a video");
    Path truncated = dir.resolve("truncated.mp4");
    byte[] whole = Files.readAllBytes(good);
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    // 720p: a ladder of two renditions, each on a thread of its own (a lone one runs inline)
    Path ladder = dir.resolve("ladder.mp4");
    SampleVideo.write(ladder, SampleVideo.Spec.mp4(1280, 720, 2));
    Path song = dir.resolve("song.m4a");
    SampleVideo.write(song, SampleVideo.Spec.soundOnly(1).withCoverArt(640, 640));

    Runnable round = () -> {
      try (InMemoryMediaStore store = new InMemoryMediaStore()) {
        transcoder.transcode(TranscodeRequest.builder(good, "good").ladder(Ladder.ABR)
            .segmentDuration(Duration.ofSeconds(1)).build(), store, ProgressListener.none());
        // copied, with one keyframe decoded into a poster
        transcoder.transcode(TranscodeRequest.builder(good, "copy").ladder(Ladder.SOURCE)
            .segmentDuration(Duration.ofSeconds(1)).build(), store, ProgressListener.none());
        // audio only, with its cover art decoded into a poster
        transcoder.transcode(TranscodeRequest.builder(song, "song").build(), store,
            ProgressListener.none());
        for (Path bad : new Path[] {notMedia, truncated}) {
          assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(bad, "bad")
              .build(), store, ProgressListener.none())).isInstanceOf(TranscodeException.class);
        }
        // cancelled mid-stream, with every output open and segments written: the error path
        assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(ladder,
            "cancelled").ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(1)).build(),
            store, p -> Thread.currentThread().interrupt()))
            .isInstanceOf(TranscodeException.class).hasMessageContaining("cancelled");
        Thread.interrupted(); // clear the flag the listener set
        // submitted and cancelled mid-stream (the encoders then freed in the background), and
        // one cancelled while it waited for its turn
        TranscodeJob running = transcoder.submit(TranscodeRequest.builder(ladder, "job")
            .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(1)).build(), store,
            new TranscodeListener() {
              @Override
              public void onProgress(TranscodeJob job, Progress progress) {
                job.cancel();
              }
            });
        TranscodeJob queued = transcoder.submit(TranscodeRequest.builder(good, "queued")
            .build(), store);
        assertThat(queued.cancel()).isTrue();
        assertThatThrownBy(() -> running.result().get(30, TimeUnit.SECONDS))
            .isInstanceOf(CancellationException.class);
        // a rendition's muxer fails mid-stream (its folder taken away): inline, and on its own
        // thread while the other rendition's thread goes on
        for (Path input : new Path[] {good, ladder}) {
          assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(input, "fault")
              .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(1)).build(), store,
              WorkFolders.removingRendition(work, 1, 0)))
              .isInstanceOf(TranscodeException.class).hasMessageContaining("writing a segment");
        }
        assertThat(store.list("bad/")).isEmpty();
        assertThat(store.list("cancelled/")).isEmpty();
        assertThat(store.list("fault/")).isEmpty();
        assertThat(store.list("job/")).isEmpty();
      }
    };
    for (int i = 0; i < 5; i++) {
      round.run(); // warm up: JIT, native libraries, allocator arenas
    }
    System.gc();
    long rssBefore = residentKb();
    long fdsBefore = openFiles();
    for (int i = 0; i < 25; i++) {
      round.run();
    }
    Thread.sleep(2000); // the last cancelled job's encoders are freed in the background
    System.gc();
    long rssAfter = residentKb();
    long fdsAfter = openFiles();

    System.out.printf("native memory: RSS %d -> %d KB, fds %d -> %d%n", rssBefore, rssAfter,
        fdsBefore, fdsAfter);
    // 25 rounds of 9 transcodes: a leak of one frame buffer per transcode would pass 8 MB
    assertThat(rssAfter - rssBefore).as("resident memory growth in KB (%d -> %d)", rssBefore,
        rssAfter).isLessThan(24 * 1024);
    assertThat(fdsAfter).as("open file descriptors").isLessThanOrEqualTo(fdsBefore + 2);
    assertThat(WorkFolders.list(work)).as("working folders left").isEmpty();
  }
}
