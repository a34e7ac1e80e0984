package io.hlskit.benchmarks;

import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * hlskit's in-process transcode against the ffmpeg CLI binary that ships inside the same
 * Bytedeco native jar (the same libav and libx264 build, so what differs is the pipeline), on
 * the same input with the same settings: the seed's (libx264 preset fast, the profile's bit
 * rate, AAC 128k, a keyframe forced every 6 s, scene cuts off).
 *
 * <p>The input is made once by the CLI (and kept in the temp folder for later runs): 60 s of
 * 1080p30 test pattern with per-frame noise (detail and motion that costs the encoder what real
 * footage does) and a tone.
 * Each invocation is one whole transcode (single-shot time); the CLI's runs include its process
 * start, ours include nothing but the work (natives are loaded in setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class TranscodeBenchmark {
  private static final int SECONDS = Integer.getInteger("hlskit.bench.seconds", 60);

  private Path dir;
  private Path input;
  private String ffmpeg;
  private Transcoder transcoder;
  private Path out;
  private boolean ssimMeasured;
  private static final boolean SSIM =
      Boolean.parseBoolean(System.getProperty("hlskit.bench.ssim", "true"));

  @Setup(Level.Trial)
  public void makeInput() throws Exception {
    ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    transcoder = Transcoder.create();
    dir = Files.createTempDirectory("hlskit-bench-");
    // made once and kept: every benchmark method is a trial of its own, and the input takes
    // minutes to make
    input = BenchMedia.noisyClip(ffmpeg, SECONDS);
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    out = Files.createDirectories(dir.resolve("out-" + System.nanoTime()));
  }

  /**
   * After the first invocation of a trial (untimed), the SSIM of each rendition against the
   * source scaled to its height, so that speed is compared at known quality: printed and
   * appended to {@code hlskit-bench-ssim.tsv} in the temp folder.
   */
  @TearDown(Level.Invocation)
  public void dropOutput(BenchmarkParams params) throws Exception {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    if (!ssimMeasured && SSIM) {
      ssimMeasured = true;
      Path tsv = Path.of(System.getProperty("java.io.tmpdir"), "hlskit-bench-ssim.tsv");
      for (Map.Entry<Integer, Path> r : renditions(method).entrySet()) {
        String ssim = ssim(r.getValue(), r.getKey());
        String line = method + "\t" + r.getKey() + "p\t" + ssim + "\n";
        System.out.print("SSIM " + line);
        Files.writeString(tsv, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    delete(out);
  }

  /** Where each benchmark left each rendition's playlist, by height. */
  private Map<Integer, Path> renditions(String method) {
    Path hlskit = out.resolve("bench");
    return switch (method) {
      case "mediumHlskit" -> Map.of(720, hlskit.resolve("playlist.m3u8"));
      case "mediumCli" -> Map.of(720, out.resolve("index.m3u8"));
      case "abrHlskit", "abrHlskitWithoutThumbnails" -> Map.of(
          360, hlskit.resolve("360p/index.m3u8"),
          720, hlskit.resolve("720p/index.m3u8"), 1080, hlskit.resolve("1080p/index.m3u8"));
      case "abrCliOneCommand" -> Map.of(360, out.resolve("v0/index.m3u8"),
          720, out.resolve("v1/index.m3u8"), 1080, out.resolve("v2/index.m3u8"));
      case "abrCliThreeRuns" -> Map.of(360, out.resolve("360/index.m3u8"),
          720, out.resolve("720/index.m3u8"), 1080, out.resolve("1080/index.m3u8"));
      default -> Map.of(); // source: the same bits as the input
    };
  }

  /** libav's ssim filter: the rendition against the source scaled to its height. */
  private String ssim(Path rendition, int height) throws Exception {
    return BenchMedia.ssim(ffmpeg, rendition, input, height);
  }

  @TearDown(Level.Trial)
  public void dropInput() throws IOException {
    delete(dir);
  }

  private void hlskit(Ladder ladder) {
    hlskit(TranscodeRequest.builder(input, "bench").ladder(ladder));
  }

  private void hlskit(TranscodeRequest.Builder request) {
    try (FileSystemMediaStore store = FileSystemMediaStore.at(out)) {
      transcoder.transcode(request.build(), store, ProgressListener.none());
    }
  }

  private List<String> cliBase() {
    return new ArrayList<>(List.of(ffmpeg, "-v", "error", "-y", "-i", input.toString()));
  }

  /** Our rate control as CLI options: max rate 1.5x and buffer 2x the bit rate. */
  private static List<String> x264(String stream, long kbps) {
    return List.of("-c:v" + stream, "libx264", "-preset", "fast", "-profile:v", "high",
        "-b:v" + stream, kbps + "k", "-maxrate" + stream, kbps * 3 / 2 + "k",
        "-bufsize" + stream, kbps * 2 + "k", "-sc_threshold", "0", "-forced-idr", "1",
        "-force_key_frames", "expr:gte(t,n_forced*6)");
  }

  private void cliSingle(int height, long kbps, Path dest) throws Exception {
    List<String> cmd = cliBase();
    cmd.addAll(List.of("-vf", "scale=-2:" + height));
    cmd.addAll(x264("", kbps));
    cmd.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
        "-hls_time", "6", "-hls_playlist_type", "vod", "-f", "hls", dest.toString()));
    run(cmd.toArray(String[]::new));
  }

  @Benchmark
  public void mediumHlskit() {
    hlskit(Ladder.of(Profile.MEDIUM));
  }

  @Benchmark
  public void mediumCli() throws Exception {
    cliSingle(720, 1500, out.resolve("index.m3u8"));
  }

  /** With thumbnails for scrubbing, as ladders are made by default. */
  @Benchmark
  public void abrHlskit() {
    hlskit(Ladder.ABR);
  }

  /** The same ladder without thumbnails: what they cost. */
  @Benchmark
  public void abrHlskitWithoutThumbnails() {
    hlskit(TranscodeRequest.builder(input, "bench").ladder(Ladder.ABR).thumbnails(null));
  }

  /** The ladder in one CLI command: split filter and -var_stream_map, one decode too. */
  @Benchmark
  public void abrCliOneCommand() throws Exception {
    List<String> cmd = cliBase();
    cmd.addAll(List.of("-filter_complex",
        "[0:v]split=3[a][b][c];[a]scale=-2:360[v0];[b]scale=-2:720[v1];[c]scale=-2:1080[v2]",
        "-map", "[v0]", "-map", "[v1]", "-map", "[v2]", "-map", "0:a", "-map", "0:a",
        "-map", "0:a"));
    cmd.addAll(x264(":0", 500));
    cmd.addAll(List.of("-b:v:1", "1500k", "-maxrate:v:1", "2250k", "-bufsize:v:1", "3000k",
        "-b:v:2", "3000k", "-maxrate:v:2", "4500k", "-bufsize:v:2", "6000k",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
        "-var_stream_map", "v:0,a:0 v:1,a:1 v:2,a:2", "-master_pl_name", "playlist.m3u8",
        "-hls_time", "6", "-hls_playlist_type", "vod", "-f", "hls",
        out.resolve("v%v").resolve("index.m3u8").toString()));
    run(cmd.toArray(String[]::new));
  }

  /** What the seed would do for a ladder: three separate conversions. */
  @Benchmark
  public void abrCliThreeRuns() throws Exception {
    cliSingle(360, 500, Files.createDirectories(out.resolve("360")).resolve("index.m3u8"));
    cliSingle(720, 1500, Files.createDirectories(out.resolve("720")).resolve("index.m3u8"));
    cliSingle(1080, 3000, Files.createDirectories(out.resolve("1080")).resolve("index.m3u8"));
  }

  /** Into a folder, as the CLI writes one: the segments are moved in, not copied. */
  @Benchmark
  public void sourceHlskit() {
    hlskit(Ladder.SOURCE);
  }

  @Benchmark
  public void sourceCli() throws Exception {
    List<String> cmd = cliBase();
    cmd.addAll(List.of("-c", "copy", "-hls_time", "6", "-hls_playlist_type", "vod", "-f", "hls",
        out.resolve("index.m3u8").toString()));
    run(cmd.toArray(String[]::new));
  }

  private static String run(String... command) throws Exception {
    return BenchMedia.run(command);
  }

  private static void delete(Path path) throws IOException {
    BenchMedia.delete(path);
  }
}
