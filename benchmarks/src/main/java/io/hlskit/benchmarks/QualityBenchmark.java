package io.hlskit.benchmarks;

import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.Rendition;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Quality per bit: the ABR ladder at its fixed bit rates ({@code fixed}) against the same
 * ladder {@linkplain Ladder#withAutoQuality at constant quality under those rates as ceilings}
 * ({@code auto}), on an easy clip (a slide show with a slow pan) and a hard one (noisy 1080p
 * {@code testsrc2}). Each invocation is one whole transcode (single-shot time); after the first
 * of a trial, each rendition's bytes and its SSIM against the source scaled to its height are
 * printed and appended to {@code hlskit-bench-quality.tsv} in the temp folder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class QualityBenchmark {
  private static final int SECONDS = Integer.getInteger("hlskit.bench.seconds", 20);

  @Param({"easy", "hard"})
  public String clip;

  private String ffmpeg;
  private Transcoder transcoder;
  private Path input;
  private Path dir;
  private Path out;
  private boolean measured;

  @Setup(Level.Trial)
  public void makeInput() throws Exception {
    ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    transcoder = Transcoder.create();
    dir = Files.createTempDirectory("hlskit-bench-");
    input = clip.equals("easy") ? BenchMedia.slideShow(ffmpeg, SECONDS)
        : BenchMedia.noisyClip(ffmpeg, SECONDS);
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    out = Files.createDirectories(dir.resolve("out-" + System.nanoTime()));
  }

  @TearDown(Level.Invocation)
  public void measure(BenchmarkParams params) throws Exception {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    if (!measured) {
      measured = true;
      Path tsv = Path.of(System.getProperty("java.io.tmpdir"), "hlskit-bench-quality.tsv");
      for (Rendition r : Ladder.ABR.renditions()) {
        Path folder = out.resolve("bench").resolve(r.folderName());
        String line = String.join("\t", clip, method, r.folderName(),
            String.valueOf(BenchMedia.bytes(folder, ".ts")),
            BenchMedia.ssim(ffmpeg, folder.resolve("index.m3u8"), input, r.shortSide())) + "\n";
        System.out.print("QUALITY " + line);
        Files.writeString(tsv, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    BenchMedia.delete(out);
  }

  @TearDown(Level.Trial)
  public void dropOutput() throws IOException {
    BenchMedia.delete(dir);
  }

  private void transcode(Ladder ladder) {
    try (FileSystemMediaStore store = FileSystemMediaStore.at(out)) {
      transcoder.transcode(TranscodeRequest.builder(input, "bench").ladder(ladder).build(),
          store, ProgressListener.none());
    }
  }

  @Benchmark
  public void fixed() {
    transcode(Ladder.ABR);
  }

  @Benchmark
  public void auto() {
    transcode(Ladder.ABR.withAutoQuality());
  }
}
