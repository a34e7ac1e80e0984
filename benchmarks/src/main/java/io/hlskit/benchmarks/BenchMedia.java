package io.hlskit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The transcode benchmarks' inputs and measures, through the ffmpeg CLI that ships inside the
 * Bytedeco native jar: inputs made once and kept in the temp folder (they take minutes), libav's
 * SSIM of a rendition against its source.
 */
final class BenchMedia {
  private BenchMedia() {}

  private static final Pattern SSIM_ALL = Pattern.compile("SSIM .*All:([0-9.]+)");

  /**
   * {@code seconds} of 1080p30 {@code testsrc2} with per-frame noise (detail and motion that
   * cost the encoder what footage does) and a 440 Hz tone: a hard clip.
   */
  static Path noisyClip(String ffmpeg, int seconds) throws Exception {
    return kept(ffmpeg, "hlskit-bench-input-" + seconds + "s.mp4", List.of(
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30,noise=alls=12:allf=t+u",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
        String.valueOf(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "18",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-shortest"));
  }

  /**
   * {@code seconds} of a 1080p30 slide show: four still pictures (a Mandelbrot set, a test
   * pattern, colour bars, a gradient), each shown a quarter of the time while the view pans
   * slowly across it (a pixel a frame), and a 440 Hz tone: an easy clip, as slides, talks and
   * animation are.
   */
  static Path slideShow(String ffmpeg, int seconds) throws Exception {
    int each = Math.max(1, seconds / 4);
    String[] stills = {"mandelbrot=size=2240x1260:rate=30",
        "testsrc2=size=2240x1260:rate=30", "smptehdbars=size=2240x1260:rate=30",
        "gradients=size=2240x1260:rate=30:seed=7"};
    List<String> args = new ArrayList<>();
    StringBuilder graph = new StringBuilder();
    for (int i = 0; i < stills.length; i++) {
      // one frame of each source, held and panned
      args.addAll(List.of("-f", "lavfi", "-i", stills[i] + ",trim=end_frame=1,loop=loop="
          + (each * 30 - 1) + ":size=1,setpts=N/30/TB,crop=1920:1080:x='n*1.0':y='n*0.5'"));
      graph.append('[').append(i).append(":v]");
    }
    graph.append("concat=n=4:v=1:a=0,format=yuv420p[v]");
    args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="
        + each * 4, "-filter_complex", graph.toString(), "-map", "[v]", "-map", "4:a",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-c:a", "aac", "-b:a", "192k"));
    return kept(ffmpeg, "hlskit-bench-slides-" + seconds + "s.mp4", args);
  }

  /** The file {@code name} in the temp folder, made by ffmpeg with {@code args} if missing. */
  private static Path kept(String ffmpeg, String name, List<String> args) throws Exception {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), name);
    if (Files.isRegularFile(file)) {
      return file;
    }
    Path partial = Files.createTempFile(file.getParent(), name, ".partial.mp4");
    List<String> command = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-y"));
    command.addAll(args);
    command.add(partial.toString());
    run(command.toArray(String[]::new));
    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** libav's ssim filter: the rendition against the source scaled to its height. */
  static String ssim(String ffmpeg, Path rendition, Path source, int height) throws Exception {
    String log = run(ffmpeg, "-nostats", "-i", rendition.toString(), "-i", source.toString(),
        "-lavfi", "[1:v]scale=-2:" + height + ":flags=bicubic[ref];[0:v][ref]ssim",
        "-f", "null", "-");
    Matcher m = SSIM_ALL.matcher(log);
    if (!m.find()) {
      throw new IllegalStateException("no SSIM in the output of ffmpeg: " + log);
    }
    return m.group(1);
  }

  /** Runs a command; returns what it printed, or throws with it when it fails. */
  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  /** The bytes of the files in {@code folder} whose names end with {@code suffix}. */
  static long bytes(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix))
          .mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static void delete(Path path) throws IOException {
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
