package io.hlskit.benchmarks;

import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A linear channel's live media playlist: a 1,000-item schedule of 20-minute videos at 6 s
 * segments (200 segments each, 200,000 in a pass), looped since a start a year ago, asked at a
 * new instant each time (as players reloading every few seconds do). {@code playlistText} is
 * what the server answers: the window of six segments computed and written.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinearPlaylistBenchmark {
  private static final int ITEMS = 1000;
  private static final int SEGMENTS = 200;

  private LinearTimeline timeline;
  private Instant now;
  private long step;

  @Setup(Level.Trial)
  public void setUp() {
    Instant start = Instant.parse("2025-11-28T00:00:00Z");
    String[] ids = new String[ITEMS];
    List<LinearTimeline.Source> sources = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      ids[i] = "video" + i;
      MediaPlaylist.Builder b = MediaPlaylist.builder().playlistType(PlaylistType.VOD)
          .independentSegments(true).endList(true);
      for (int s = 0; s < SEGMENTS; s++) {
        b.addSegment(String.format("seg_%05d.ts", s), Duration.ofMillis(6006));
      }
      sources.add(new LinearTimeline.Source(i, b.build(), "../../" + ids[i] + "/720p/"));
    }
    timeline = LinearTimeline.of(Schedule.of(start, true, ids), sources);
    now = Instant.parse("2026-11-28T12:00:00Z");
  }

  /** Each call a little later: a different window, as successive reloads get. */
  private Instant next() {
    step += 1_234_567;
    return now.plusNanos(step);
  }

  @Benchmark
  public MediaPlaylist playlist() {
    return timeline.playlistAt(next(), LinearTimeline.DEFAULT_WINDOW).orElseThrow();
  }

  @Benchmark
  public String playlistText() {
    return PlaylistWriter.write(
        timeline.playlistAt(next(), LinearTimeline.DEFAULT_WINDOW).orElseThrow());
  }
}
