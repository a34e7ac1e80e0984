package io.hlskit.chat.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free loopback port with its own data folder: the
 * one on the {@code PATH} (Debian's Redis 7), else the Linux x86-64 binary that the {@code
 * com.github.codemonstur:embedded-redis} jar carries (Redis 6.2). When {@code HLS_REDIS_URL} is
 * set the tests use that server instead, and cannot stop it.
 *
 * <p>It keeps an append-only file synced on every write, so {@link #stop()} then {@link
 * #start()} is a Redis that went away and came back with its data, on the same port.
 */
public final class RedisTestServer implements AutoCloseable {
  private static final String EMBEDDED = "redis-server-6.2.6-v5-linux-amd64";

  private final String external;
  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisTestServer(String external, Path binary, Path dir, int port) {
    this.external = external;
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a new server (or takes {@code HLS_REDIS_URL}). */
  public static RedisTestServer start() throws Exception {
    String url = System.getenv("HLS_REDIS_URL");
    if (url != null && !url.isBlank()) {
      return new RedisTestServer(url, null, null, -1);
    }
    Path dir = Files.createTempDirectory("hlskit-redis-");
    RedisTestServer server = new RedisTestServer(null, binary(dir), dir, freePort());
    server.startProcess();
    return server;
  }

  private static Path binary(Path dir) throws IOException {
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(p, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    try (InputStream in = RedisTestServer.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + EMBEDDED
            + " on the class path: install Redis (apt-get install redis-server)");
      }
      Path copy = dir.resolve("redis-server");
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      if (!copy.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + copy + " executable");
      }
      return copy;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code redis://127.0.0.1:<port>}, or {@code HLS_REDIS_URL}. */
  public String uri() {
    return external != null ? external : "redis://127.0.0.1:" + port;
  }

  /** Whether {@link #stop()} and {@link #restart()} can take this server away and back. */
  public boolean canStop() {
    return external == null;
  }

  private synchronized void startProcess() throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        "--daemonize", "no", "--protected-mode", "no"));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port + ": "
            + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  private boolean answersPing() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = s.getInputStream().readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Takes the server away (its data stays on disk). */
  public synchronized void stop() throws InterruptedException {
    if (external != null) {
      throw new IllegalStateException("cannot stop the external Redis at " + external);
    }
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  /** Brings the server back on the same port with its data. */
  public synchronized void restart() throws Exception {
    if (external != null) {
      throw new IllegalStateException("cannot restart the external Redis at " + external);
    }
    if (process == null) {
      startProcess();
    }
  }

  @Override
  public synchronized void close() throws Exception {
    if (external == null) {
      stop();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
