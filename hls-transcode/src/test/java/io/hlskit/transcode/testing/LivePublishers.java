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
    return debianFfmpeg(url, "flv", size, seconds, log);
  }

  /**
   * Starts ffmpeg sending the same test picture and tone in MPEG-TS over SRT, as a caller, to
   * {@code url} ({@code srt://host:port?passphrase=...}).
   */
  public static Process srt(String url, String size, double seconds, Path log)
      throws IOException {
    return debianFfmpeg(url, "mpegts", size, seconds, log);
  }

  private static Process debianFfmpeg(String url, String format, String size, double seconds,
      Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin",
        "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
        "-f", format, url));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  /** Skips the test without GStreamer's tools and plugins (fails it on CI). */
  public static void requireGstreamer() {
    boolean present;
    try {
      Process p = new ProcessBuilder("gst-inspect-1.0", "rtmp2sink").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("GStreamer's rtmp2sink is missing on CI; .ci/run must install"
          + " gstreamer1.0-tools and gstreamer1.0-plugins-bad, -good, -ugly and -libav");
    }
    Assumptions.assumeTrue(present, "GStreamer with rtmp2sink is not installed");
  }

  /**
   * Starts GStreamer's {@code rtmp2sink} sending {@code seconds} of a 320x180 test picture at
   * 30 fps (x264) with a tone (AAC), live, to {@code url}.
   */
  public static Process gstreamer(String url, int seconds, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e",
        "videotestsrc", "is-live=true", "num-buffers=" + seconds * 30, "!",
        "video/x-raw,width=320,height=180,framerate=30/1", "!",
        "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=30", "!",
        "h264parse", "!", "queue", "!", "flvmux", "name=mux", "streamable=true", "!",
        "rtmp2sink", "location=" + url,
        "audiotestsrc", "is-live=true", "num-buffers=" + seconds * 47, "!",
        "audioconvert", "!", "avenc_aac", "!", "aacparse", "!", "queue", "!", "mux."));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * The ffmpeg of the libav natives on the classpath (FFmpeg 8.1, which writes Enhanced RTMP),
   * unpacked by JavaCPP; it needs Debian's {@code libpulse0}.
   */
  public static String nativesFfmpeg() {
    try {
      return org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    } catch (UnsatisfiedLinkError e) {
      throw new AssertionError("the natives' ffmpeg cannot be unpacked: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the natives' ffmpeg sending {@code seconds} of a 320x180 test picture in HEVC
   * (libx265) with AAC over Enhanced RTMP, in real time, to {@code url}.
   */
  public static Process hevc(String url, double seconds, Path log) throws IOException {
    return enhanced(url, seconds, log, "-c:v", "libx265", "-preset", "ultrafast",
        "-x265-params", "keyint=30:log-level=error");
  }

  /**
   * Starts the natives' ffmpeg sending {@code seconds} of a 320x180 test picture in AV1
   * (SVT-AV1, its fastest preset) with AAC over Enhanced RTMP, in real time, to {@code url}.
   */
  public static Process av1(String url, double seconds, Path log) throws IOException {
    return enhanced(url, seconds, log, "-c:v", "libsvtav1", "-preset", "12", "-g", "30",
        "-svtav1-params", "lp=1");
  }

  private static Process enhanced(String url, double seconds, Path log, String... video)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(nativesFfmpeg(), "-hide_banner", "-nostdin",
        "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", String.valueOf(seconds)));
    cmd.addAll(List.of(video));
    cmd.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "flv", url));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
