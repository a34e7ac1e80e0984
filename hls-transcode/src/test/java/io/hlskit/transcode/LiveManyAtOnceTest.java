package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.internal.LiveEncode;
import io.hlskit.transcode.internal.LiveInput;
import io.hlskit.transcode.internal.live.LiveChannelWriter;
import io.hlskit.transcode.internal.live.MediaPipe;
import io.hlskit.transcode.testing.LivePublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More live sessions at once than JavaCPP has native instances of a callback class (ten): each
 * session reads its own stream and writes its own segments, none gets another's bytes or none.
 */
class LiveManyAtOnceTest {
  private static final int SESSIONS = 14;

  @TempDir Path dir;

  @Test
  void fourteenSessionsAtOnceEachGetTheirOwnStream() throws Exception {
    LivePublishers.requireFfmpeg();
    Path flv = dir.resolve("in.flv");
    Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:v", "libx264", "-preset",
        "ultrafast", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv",
        flv.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log")
        .toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    byte[] bytes = Files.readAllBytes(flv);
    try (FileSystemMediaStore store = FileSystemMediaStore.at(dir.resolve("streams"))) {
      List<MediaPipe> pipes = new ArrayList<>();
      List<LiveChannelWriter> writers = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        ChannelMetadata ch = LiveChannels.createOrUpdate(store, "ch" + i, "ch" + i,
            Visibility.PUBLIC, LiveSettings.of("source")).channel();
        writers.add(new LiveChannelWriter(store, ch));
        pipes.add(new MediaPipe(Long.MAX_VALUE / 4));
      }
      ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
      List<Future<Long>> runs = new ArrayList<>();
      try {
        for (int i = 0; i < SESSIONS; i++) {
          MediaPipe pipe = pipes.get(i);
          LiveChannelWriter writer = writers.get(i);
          String name = "ch" + i;
          // every session opened before any has its stream: all their callbacks live at once
          runs.add(pool.submit(() -> {
            long start = writer.startSession(Instant.now());
            try (LiveInput in = LiveInput.flv(name, pipe, 10_000);
                LiveEncode e = new LiveEncode(in, List.of(), true, 0, 2.0, 0, start, writer,
                    System::nanoTime)) {
              e.run();
              writer.endBroadcast(Instant.now());
              return e.frames();
            }
          }));
        }
        Thread.sleep(300);
        for (MediaPipe pipe : pipes) {
          pipe.write(bytes);
          pipe.end(true);
        }
        for (Future<Long> run : runs) {
          assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(180);
        }
      } finally {
        pool.shutdownNow();
      }
      byte[] first = null;
      for (int i = 0; i < SESSIONS; i++) {
        MediaPlaylist playlist = PlaylistParser.strict().parseMedia(Files.readString(
            dir.resolve("streams/ch" + i + "/source/index.m3u8")));
        assertThat(playlist.endList()).isTrue();
        assertThat(playlist.totalDuration().toMillis()).as("ch" + i).isBetween(5800L, 6200L);
        byte[] segment = Files.readAllBytes(dir.resolve("streams/ch" + i + "/source")
            .resolve(playlist.segments().get(1).uri()));
        if (first == null) {
          first = segment;
        }
        // the same input gives the same bytes: nothing of another session's mixed in
        assertThat(segment).as("ch" + i).isEqualTo(first);
      }
    }
  }
}
