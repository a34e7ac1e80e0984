package io.hlskit.transcode.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real publishers for live tests: Debian's ffmpeg sending a test picture with a tone in real
 * time ({@code -re}). CI installs it ({@code .ci/run}); elsewhere the tests that need it are
 * skipped, except under {@code CI=true}, where its absence fails them.
 */
public final class LivePublishers {
  private LivePublishers() {}

  /** Skips the test without Debian's ffmpeg (fails it on CI). */
  public static void requireFfmpeg() {
    boolean present;
    try {
      present = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("ffmpeg is missing on CI; .ci/run must install it");
    }
    Assumptions.assumeTrue(present, "ffmpeg (Debian's package) is not installed");
  }

  /**
   * Starts ffmpeg sending {@code seconds} of a {@code size} test picture at 30 fps with a 440 Hz
   * tone, H.264 and AAC, in real time, to {@code url}; its log goes to {@code log}.
   */
  public static Process rtmp(String url, String size, double seconds, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin",
        "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
        "-f", "flv", url));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }
}
