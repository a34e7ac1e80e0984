package io.hlskit.benchmarks;

import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  @Setup(Level.Trial)
  public void makeInput() throws Exception {
    ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    transcoder = Transcoder.create();
    dir = Files.createTempDirectory("hlskit-bench-");
    // made once and kept: every benchmark method is a trial of its own, and the input takes
    // minutes to make
    input = Path.of(System.getProperty("java.io.tmpdir"), "hlskit-bench-input-" + SECONDS
        + "s.mp4");
    if (Files.isRegularFile(input)) {
      return;
    }
    Path partial = dir.resolve("input.mp4");
    run(ffmpeg, "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t+u", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(SECONDS),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "192k", "-shortest", partial.toString());
    Files.move(partial, input, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    out = Files.createDirectories(dir.resolve("out-" + System.nanoTime()));
  }

  @TearDown(Level.Invocation)
  public void dropOutput() throws IOException {
    delete(out);
  }

  @TearDown(Level.Trial)
  public void dropInput() throws IOException {
    delete(dir);
  }

  private void hlskit(Ladder ladder) {
    try (FileSystemMediaStore store = FileSystemMediaStore.at(out)) {
      transcoder.transcode(TranscodeRequest.builder(input, "bench").ladder(ladder).build(),
          store, ProgressListener.none());
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

  @Benchmark
  public void abrHlskit() {
    hlskit(Ladder.ABR);
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

  @Benchmark
  public void sourceHlskit() {
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      transcoder.transcode(TranscodeRequest.builder(input, "bench").ladder(Ladder.SOURCE)
          .build(), store, ProgressListener.none());
    }
  }

  @Benchmark
  public void sourceCli() throws Exception {
    List<String> cmd = cliBase();
    cmd.addAll(List.of("-c", "copy", "-hls_time", "6", "-hls_playlist_type", "vod", "-f", "hls",
        out.resolve("index.m3u8").toString()));
    run(cmd.toArray(String[]::new));
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: "
          + new String(output));
    }
  }

  private static void delete(Path path) throws IOException {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
