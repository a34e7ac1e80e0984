package io.hlskit.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The outside tools the end-to-end tests read the demo with: Debian's ffprobe and Chromium with
 * its chromedriver. CI installs them; elsewhere the tests skip, but under {@code CI=true} a
 * missing tool fails them.
 */
final class Tools {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Tools() {}

  static void require(String what, boolean present) {
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(what + " is missing on CI; .ci/run must install it");
    }
    Assumptions.assumeTrue(present, what + " is not installed");
  }

  static void requireBrowser() {
    require("Debian's chromium and chromium-driver",
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
  }

  static void requireFfprobe() {
    boolean present;
    try {
      present = new ProcessBuilder("ffprobe", "-version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    require("ffprobe (Debian's ffmpeg package)", present);
  }

  static String ffprobe(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ffprobe", "-v", "error"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("ffprobe " + String.join(" ", args) + " failed: " + err);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
