package io.hlskit.benchmarks;

import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.Rendition;
import io.hlskit.core.playlist.RenditionType;
import io.hlskit.core.playlist.Variant;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.PlaylistParserException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing and parsing playlists: a 3-hour VOD media playlist at 6 s (1,800 segments) and a
 * multivariant playlist (6 variants, 3 audio renditions). The {@code lindstrom*} methods run the
 * same work through io.lindstrom:m3u8-parser, the third-party parser our tests agree with, as a
 * yardstick.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlaylistBenchmark {
  private MediaPlaylist vod;
  private String vodText;
  private MultivariantPlaylist multivariant;
  private String multivariantText;
  private io.lindstrom.m3u8.model.MediaPlaylist theirVod;
  private final MediaPlaylistParser theirMediaParser = new MediaPlaylistParser();
  private final MasterPlaylistParser theirMasterParser = new MasterPlaylistParser();

  @Setup
  public void setUp() throws PlaylistParserException {
    MediaPlaylist.Builder b = MediaPlaylist.builder()
        .playlistType(PlaylistType.VOD).independentSegments(true).endList(true);
    for (int i = 0; i < 1800; i++) {
      // 6.006 s at 29.97 fps, as NTSC-rate sources give
      b.addSegment(String.format("720p/seg_%05d.ts", i), Duration.ofNanos(6_006_000_000L));
    }
    vod = b.build();
    vodText = PlaylistWriter.write(vod);

    MultivariantPlaylist.Builder m = MultivariantPlaylist.builder().independentSegments(true);
    for (String lang : new String[] {"es", "en", "pt"}) {
      m.addRendition(Rendition.builder(RenditionType.AUDIO, "aac", "Audio " + lang)
          .language(lang).autoselect(true).isDefault(lang.equals("es"))
          .uri("audio_" + lang + "/index.m3u8").channels("2").build());
    }
    int[][] ladder = {{416, 234, 300_000}, {640, 360, 628_000}, {854, 480, 1_128_000},
        {1280, 720, 1_728_000}, {1920, 1080, 3_328_000}, {2560, 1440, 6_000_000}};
    for (int[] r : ladder) {
      m.addVariant(Variant.builder(r[1] + "p/index.m3u8", r[2]).averageBandwidth(r[2] * 9L / 10)
          .codecs("avc1.64001f", "mp4a.40.2").resolution(r[0], r[1]).frameRate(29.97)
          .audio("aac").build());
    }
    multivariant = m.build();
    multivariantText = PlaylistWriter.write(multivariant);
    theirVod = theirMediaParser.readPlaylist(vodText);
  }

  @Benchmark
  public String writeVod() {
    return PlaylistWriter.write(vod);
  }

  @Benchmark
  public Object parseVodStrict() {
    return PlaylistParser.strict().parse(vodText);
  }

  @Benchmark
  public Object parseVodLenient() {
    return PlaylistParser.lenient().parse(vodText);
  }

  @Benchmark
  public String writeMultivariant() {
    return PlaylistWriter.write(multivariant);
  }

  @Benchmark
  public Object parseMultivariantStrict() {
    return PlaylistParser.strict().parse(multivariantText);
  }

  @Benchmark
  public Object lindstromParseVod() throws PlaylistParserException {
    return theirMediaParser.readPlaylist(vodText);
  }

  @Benchmark
  public String lindstromWriteVod() {
    return theirMediaParser.writePlaylistAsString(theirVod);
  }

  @Benchmark
  public Object lindstromParseMultivariant() throws PlaylistParserException {
    return theirMasterParser.readPlaylist(multivariantText);
  }
}
