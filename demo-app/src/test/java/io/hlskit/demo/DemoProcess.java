package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code hlskit-demo.jar} run in a process of its own, as a user runs it: its output
 * is collected, and for {@code serve} the URL it prints is waited for.
 */
final class DemoProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "hlskit-demo.jar");
  /** What {@code serve} prints ("open http://...") and {@code worker} ("health on http://..."). */
  private static final Pattern URL =
      Pattern.compile("(?:open|health on) (http://localhost:(\\d+)/)");

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<String> base = new CompletableFuture<>();

  private DemoProcess(Path workDir, Map<String, String> env, List<String> args)
      throws IOException {
    assertThat(JAR).as("run after package").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    process = pb.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
          Matcher m = URL.matcher(line);
          if (m.find()) {
            base.complete("http://127.0.0.1:" + m.group(2));
          }
        }
        base.completeExceptionally(new IllegalStateException("the demo ended without a URL"));
      } catch (IOException e) {
        base.completeExceptionally(e);
      }
    }, "demo-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -jar hlskit-demo.jar <args>} in {@code workDir} with extra {@code env}. */
  static DemoProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    return new DemoProcess(workDir, env, List.of(args));
  }

  /** The base URL a {@code serve} printed, {@code http://127.0.0.1:<port>}. */
  String baseUrl() throws Exception {
    try {
      return base.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no URL from the demo; output:\n" + output, e);
    }
  }

  /** Waits for the process to end (a {@code convert}) and returns its exit code. */
  int waitFor(long seconds) throws InterruptedException {
    assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("ended; output:\n" + output)
        .isTrue();
    return process.exitValue();
  }

  /** The process id (a worker's id starts with it). */
  long pid() {
    return process.pid();
  }

  /** Everything the process printed so far. */
  String output() {
    return output.toString();
  }

  /** Kills the process at once (SIGKILL): no shutdown hook runs, as in a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
