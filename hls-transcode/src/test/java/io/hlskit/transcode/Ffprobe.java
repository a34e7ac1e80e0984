package io.hlskit.transcode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's ffprobe as an independent reader of what we write. CI installs it ({@code .ci/run});
 * elsewhere the tests that need it are skipped, except under {@code CI=true}, where its absence
 * fails them.
 */
final class Ffprobe {
  private Ffprobe() {}

  static void require() {
    boolean present;
    try {
      present = new ProcessBuilder("ffprobe", "-version").redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("ffprobe is missing on CI; .ci/run must install ffmpeg");
    }
    Assumptions.assumeTrue(present, "ffprobe (Debian's ffmpeg package) is not installed");
  }

  /** Runs ffprobe with {@code args} and returns its standard output; fails on a non-zero exit. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("ffprobe");
    command.add("-v");
    command.add("error");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("ffprobe " + String.join(" ", args) + " failed: " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
