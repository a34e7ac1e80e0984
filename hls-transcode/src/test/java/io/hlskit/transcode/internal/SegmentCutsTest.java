package io.hlskit.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The segments worked out by {@link SegmentCuts} against the playlist libav's hls muxer writes
 * for the same output: same files, same durations (the last aside, which is timed from what was
 * decoded). Short segments, so that a few seconds of media give several.
 */
class SegmentCutsTest {
  private static final double SEGMENT = 1.0;
  private static final InputRules RULES = new InputRules("mov,matroska", Long.MAX_VALUE);

  @TempDir Path dir;

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("25 fps with sound", SampleVideo.Spec.mp4(160, 90, 4.3), false, false),
        Arguments.of("30 fps, no sound", new SampleVideo.Spec(160, 90, 30, 3.5, 0, "mp4",
            "libx264"), false, false),
        Arguments.of("variable frame rate", new SampleVideo.Spec(160, 90, 25, 4, 440,
            "matroska", "libx264").withVariableFrameRate(), false, false),
        Arguments.of("fragmented MP4", SampleVideo.Spec.mp4(160, 90, 3.2), true, false),
        Arguments.of("sound alone", SampleVideo.Spec.soundOnly(3.4), false, false),
        Arguments.of("copied at its own keyframes", SampleVideo.Spec.mp4(160, 90, 5.1), false,
            true),
        Arguments.of("sound alone, copied", SampleVideo.Spec.soundOnly(3.4), false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void theSegmentsAreTheOnesTheMuxerListed(String what, SampleVideo.Spec spec, boolean fmp4,
      boolean copy) throws Exception {
    Path input = dir.resolve("in." + (spec.container().equals("matroska") ? "mkv" : "mp4"));
    SampleVideo.write(input, spec);
    Path work = Files.createDirectory(dir.resolve("work"));
    EncodeResult result;
    if (copy) {
      try (Remux remux = new Remux(input, RULES)) {
        result = remux.run(work, SEGMENT, fmp4, t -> { });
      }
    } else {
      try (Encode encode = new Encode(input, RULES)) {
        result = encode.run(work, new EncodeSettings(
            List.of(new EncodeSettings.Rendition(null, 90, 200_000, 300_000, 400_000, -1,
                "libx264", "fast")), false, 64_000, SEGMENT, fmp4, null), t -> { });
      }
    }
    EncodeResult.Rendition rendition = result.renditions().get(0);
    MediaPlaylist muxers = PlaylistParser.lenient().parseMedia(
        Files.readString(work.resolve("r1/index.m3u8")));
    List<EncodeResult.Segment> ours = rendition.segments();

    assertThat(ours).extracting(s -> s.file().getFileName().toString())
        .as("segment files").containsExactlyElementsOf(
            muxers.segments().stream().map(MediaSegment::uri).toList());
    assertThat(ours.size()).as("several segments").isGreaterThan(1);
    for (int i = 0; i < ours.size() - 1; i++) {
      assertThat(millis(ours.get(i).duration())).as("segment %d", i)
          .isEqualTo(millis(muxers.segments().get(i).duration()));
    }
    Duration sum = ours.stream().map(EncodeResult.Segment::duration)
        .reduce(Duration.ZERO, Duration::plus);
    assertThat(sum.toNanos() / 1e9).as("the segments add up to what was decoded")
        .isCloseTo(result.durationSeconds(), org.assertj.core.data.Offset.offset(0.002));
    assertThat(rendition.init().isPresent()).isEqualTo(fmp4);
  }

  /** The muxer writes EXTINF to the microsecond; compared to the millisecond. */
  private static long millis(Duration d) {
    return Math.round(d.toNanos() / 1e6);
  }

  @Test
  void audioThatReachesTheMuxerFirstMovesTheStart() throws Exception {
    // video in 1/90000, audio in 1/48000 starting 1024 samples early (AAC priming)
    SegmentCuts cuts = new SegmentCuts(2.0, true, true, av_make_q(1, 90_000));
    cuts.other(-1024, -1024, av_make_q(1, 48_000));
    cuts.reference(0, 0, true);
    // 1.99 s: short of the boundary from the video's start, past it from the audio's raw start
    cuts.reference(179_100, 179_100, true);
    cuts.reference(360_000, 360_000, true);
    Path playlist = dir.resolve("index.m3u8");
    for (int i = 0; i < 3; i++) {
      Files.writeString(Libav.segmentFile(playlist, false, i), "x");
    }
    List<EncodeResult.Segment> segments = cuts.segments(5.0, playlist, false, "in.mp4");
    assertThat(segments).extracting(EncodeResult.Segment::duration).containsExactly(
        Duration.ofMillis(1990), Duration.ofMillis(2010), Duration.ofMillis(1000));
  }

  @Test
  void filesThatDoNotMatchTheCutsFailTheTranscode() throws Exception {
    SegmentCuts cuts = new SegmentCuts(2.0, true, false, av_make_q(1, 90_000));
    cuts.reference(0, 0, true);
    cuts.reference(180_000, 180_000, true);
    Path playlist = dir.resolve("index.m3u8");
    Files.writeString(Libav.segmentFile(playlist, false, 0), "x"); // the second is missing
    assertThatThrownBy(() -> cuts.segments(3.0, playlist, false, "in.mp4"))
        .isInstanceOf(TranscodeException.class).hasMessageContaining("2 segments");
  }
}
