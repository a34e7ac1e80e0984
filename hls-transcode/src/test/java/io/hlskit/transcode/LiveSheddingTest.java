package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.internal.EncodeSettings;
import io.hlskit.transcode.internal.LiveEncode;
import io.hlskit.transcode.internal.LiveInput;
import io.hlskit.transcode.internal.LiveSegments;
import io.hlskit.transcode.internal.live.LiveChannelWriter;
import io.hlskit.transcode.internal.live.MediaPipe;
import io.hlskit.transcode.testing.LivePublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live ladder that cannot keep up sheds its most expensive rendition, whose viewers go on with
 * the next one's segments; a stream that is late only because its publisher stalled sheds
 * nothing. The stream is a real FLV from Debian's ffmpeg, encoded by libav; what is slow is the
 * wall clock the pipeline is given (a machine half as fast as the stream), so that the test
 * does not hang on this machine's speed.
 */
class LiveSheddingTest {
  @TempDir Path dir;
  FileSystemMediaStore store;
  final List<MediaPlaylist> topAfterParts = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    LivePublishers.requireFfmpeg();
    Ffprobe.require();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
  }

  @AfterEach
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  private Path flv(double seconds) throws Exception {
    Path out = dir.resolve("in.flv");
    Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
        String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    return out;
  }

  private LiveEncode encode(String id, MediaPipe pipe, LongSupplier clock,
      AtomicReference<LiveEncode> running, boolean fmp4) {
    ChannelMetadata channel = LiveChannels.createOrUpdate(store, id, id, Visibility.PUBLIC,
        LiveSettings.of("360p:600k,180p:200k")
        .withFormat(fmp4 ? LiveSettings.Format.FMP4 : LiveSettings.Format.TS)).channel();
    LiveChannelWriter writer = new LiveChannelWriter(store, channel);
    List<EncodeSettings.Rendition> specs = Ladder.parse("360p:600k,180p:200k").renditions()
        .stream().map(r -> Transcoder.create().settings(r.toBuilder().preset("ultrafast")
            .build())).toList();
    long start = writer.startSession(Instant.now());
    // what a player at the edge of the top playlist reads after each of the lower one's parts
    LiveSegments seen = new LiveSegments() {
      boolean shed;

      @Override
      public void renditions(List<Rendition> renditions) {
        writer.renditions(renditions);
      }

      @Override
      public void segment(int index, Segment segment) {
        writer.segment(index, segment);
      }

      @Override
      public void part(int index, Part part) {
        writer.part(index, part);
        if (shed && index == 0 && !part.last()) {
          try {
            topAfterParts.add(playlist(id + "/360p/index.m3u8"));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }
      }

      @Override
      public void shed(int index, int into) {
        writer.shed(index, into);
        shed = true;
      }

      @Override
      public void poster(java.util.Optional<byte[]> jpeg) {
        writer.poster(jpeg);
      }
    };
    try (LiveInput in = LiveInput.flv(id, pipe, 10_000);
        LiveEncode e = new LiveEncode(in, specs, false, 96_000, 2.0, 1.0 / 3, fmp4, start,
            seen, clock)) {
      running.set(e);
      e.run();
      writer.endBroadcast(Instant.now());
      return e;
    }
  }

  private MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  @ParameterizedTest(name = "fMP4: {0}")
  @ValueSource(booleans = {false, true})
  void aLadderThatFallsBehindShedsItsTopRenditionAndItsViewersGoOn(boolean fmp4)
      throws Exception {
    MediaPipe pipe = new MediaPipe(Long.MAX_VALUE / 4);
    pipe.write(Files.readAllBytes(flv(20)));
    pipe.end(true);
    AtomicReference<LiveEncode> running = new AtomicReference<>();
    // two wall-clock frame times pass for each frame decoded: half real time
    LongSupplier halfSpeed = () -> running.get() == null ? 0
        : running.get().frames() * 66_666_667L;
    LiveEncode done = encode("slow", pipe, halfSpeed, running, fmp4);

    assertThat(done.shed()).containsExactly("360p");
    assertThat(done.framesDropped()).isGreaterThan(200);
    MediaPlaylist top = playlist("slow/360p/index.m3u8");
    List<String> uris = top.segments().stream().map(MediaSegment::uri).toList();
    int carried = uris.indexOf(uris.stream().filter(u -> u.startsWith("../180p/seg_"))
        .findFirst().orElseThrow());
    assertThat(carried).as(uris.toString()).isBetween(2, 5);
    assertThat(top.segments().get(carried).discontinuity()).isTrue();
    assertThat(uris.subList(carried, uris.size())).allMatch(u -> u.startsWith("../180p/"));
    // from the shed on, the same segments as the 180p playlist's, none lost or repeated
    List<String> lower = playlist("slow/180p/index.m3u8").segments().stream()
        .map(u -> "../180p/" + u.uri()).toList();
    List<String> tail = uris.subList(carried, uris.size());
    assertThat(tail).as(uris + " against " + lower)
        .isEqualTo(lower.subList(lower.size() - tail.size(), lower.size()));
    // Low-Latency HLS: from the shed on, each of the lower rendition's parts is in the top
    // playlist as soon as it is written, so that a player at its edge goes on part by part
    assertThat(topAfterParts).hasSizeGreaterThan(20);
    List<MediaPlaylist> partByPart = topAfterParts.subList(topAfterParts.size() / 2,
        topAfterParts.size());
    assertThat(partByPart).allSatisfy(p -> {
      assertThat(p.openSegment()).as(PlaylistWriter.write(p)).isPresent();
      assertThat(p.openSegment().get().parts()).isNotEmpty().allMatch(x -> x.uri()
          .startsWith("../180p/seg_"));
      assertThat(p.segments().get(p.segments().size() - 1).parts()).isNotEmpty()
          .allMatch(x -> x.uri().startsWith("../180p/seg_"));
      assertThat(p.preloadHints()).singleElement().matches(h -> h.uri().startsWith("../180p/"));
      // fMP4: the carried parts come with the carrier's initialization section
      p.openSegment().get().map().or(() -> p.segments().get(p.segments().size() - 1).map())
          .ifPresent(m -> assertThat(m.uri()).startsWith("../180p/init_"));
      assertThat(p.segments().get(p.segments().size() - 1).map().isPresent()).isEqualTo(fmp4);
    });
    assertThat(top.totalDuration().toMillis()).as(uris + " against " + lower)
        .isCloseTo(playlist("slow/180p/index.m3u8").totalDuration().toMillis(),
            org.assertj.core.data.Offset.offset(100L));
    // new viewers are offered what is still encoded
    String multivariant = Files.readString(dir.resolve("streams/slow/playlist.m3u8"));
    assertThat(multivariant).contains("180p/index.m3u8").doesNotContain("360p/index.m3u8");
    // the shed rendition's playlist plays to its end, through the change of picture size
    String probed = Ffprobe.run("-show_entries", "format=duration", "-of", "csv=p=0",
        dir.resolve("streams/slow/360p/index.m3u8").toString());
    assertThat(Double.parseDouble(probed.strip())).isBetween(18.0, 21.0);
  }

  @Test
  void aPublisherThatStallsIsLateButShedsNothing() throws Exception {
    byte[] bytes = Files.readAllBytes(flv(14));
    MediaPipe pipe = new MediaPipe(Long.MAX_VALUE / 4);
    // the stream comes in real time, half a second at a time, and stops for 7 s after 6 s:
    // the pipeline is 7 s late, and idle
    Thread publisher = new Thread(() -> {
      int pieces = 28;
      try {
        for (int i = 0; i < pieces; i++) {
          pipe.write(Arrays.copyOfRange(bytes, bytes.length * i / pieces,
              bytes.length * (i + 1) / pieces));
          Thread.sleep(i == 11 ? 7500 : 500);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        pipe.end(true);
      }
    });
    publisher.start();
    LiveEncode done = encode("stalled", pipe, System::nanoTime, new AtomicReference<>(),
        false);
    publisher.join();

    assertThat(done.lagSeconds()).isGreaterThan(4);
    assertThat(done.shed()).isEmpty();
    assertThat(done.framesDropped()).isZero();
    assertThat(playlist("stalled/360p/index.m3u8").segments()).noneMatch(s -> s.uri()
        .startsWith("../"));
  }
}
