package io.hlskit.benchmarks;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.hlskit.transcode.LiveIngest;
import io.hlskit.transcode.Transcoder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Many Low-Latency HLS players blocking on one live channel's parts: {@code --players} players
 * ({@link NioPlayers}, in this JVM, two HTTP/1.1 connections each) each asking for the next part
 * with a blocking delta reload ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES}),
 * then fetching that part while the next reload is already held, as hls.js does. The server runs in a JVM of its
 * own ({@code --serve}: the public API, LiveIngest and HlsServer on a folder store, one {@code
 * LiveEdge}), fed by Debian's ffmpeg publishing a 360p30 600 kb/s clip in real time over RTMP
 * into a {@code source} channel (the stream copied, 1/3 s parts).
 *
 * <p>It reports requests a second (reloads and parts), the wake-up of held reloads (from the
 * moment the server announced the part, which is after its playlist was written, to the answer
 * received here: both {@code System.nanoTime()}, one monotonic clock on Linux), p50, p99 and the
 * largest, the share of reloads that were held (the rest asked for a part already there), and
 * the server's CPU (user + system, {@code /proc/<pid>/stat}) per player.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.HeldPlayers --players 500
 * </pre>
 */
@Command(name = "held-players", mixinStandardHelpOptions = true)
public final class HeldPlayers implements Callable<Integer> {
  private static final long TICK = 100; // USER_HZ, what /proc/<pid>/stat counts in

  @Option(names = "--players", split = ",", defaultValue = "500")
  List<Integer> players;

  @Option(names = "--seconds", defaultValue = "60", description = "seconds measured")
  int seconds;

  @Option(names = "--http-port", defaultValue = "18393")
  int httpPort;

  @Option(names = "--rtmp-port", defaultValue = "11949")
  int rtmpPort;

  @Option(names = "--serve", description = "be the server (started by the benchmark itself)")
  boolean serve;

  @Option(names = "--streams", description = "the server's folder (with --serve)")
  Path streams;

  @Option(names = "--store", defaultValue = "fs",
      description = "fs (a folder) or s3 (S3Proxy in the server's JVM, its requests counted)")
  String storeKind;

  public static void main(String[] args) {
    System.exit(new CommandLine(new HeldPlayers()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (serve) {
      serve();
      return 0;
    }
    Path work = Files.createTempDirectory("hlskit-held-players");
    try {
      Path clip = work.resolve("in.flv");
      run("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
          "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i",
          "sine=frequency=440:sample_rate=48000", "-t", "60", "-c:v", "libx264", "-preset",
          "veryfast", "-tune", "zerolatency", "-bf", "0", "-b:v", "600k", "-maxrate", "600k",
          "-bufsize", "1200k", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
          "-f", "flv", clip.toString());
      System.out.printf("held players: one live channel (360p30 copied, 1/3 s parts), %d s"
          + " measured, %d cores%n", seconds, Runtime.getRuntime().availableProcessors());
      for (int n : players) {
        round(work, clip, n);
      }
      return 0;
    } finally {
      BenchMedia.delete(work);
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  // ---- the server's JVM ------------------------------------------------------------------------

  /**
   * The server: prints "key <stream key>" once listening, then "edge <msn> <part> <nanoTime>"
   * for every part its ingest announces, until its input closes.
   */
  private void serve() throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    S3TestServer s3 = null;
    MediaStore store;
    if (storeKind.equals("s3")) {
      s3 = S3TestServer.create();
      S3Client client = S3Client.builder().endpointOverride(s3.endpoint())
          .region(Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .addPlugin(LegacyMd5Plugin.create())
          .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context,
                ExecutionAttributes attributes) {
              String op = context.request().getClass().getSimpleName().replace("Request", "");
              requests.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
            }
          })).build();
      store = s3.storeBuilder(s3.newBucket()).client(client).build();
    } else {
      store = FileSystemMediaStore.at(streams);
    }
    String key = LiveChannels.createOrUpdate(store, "bench", "Bench", Visibility.PUBLIC,
        LiveSettings.of("source")).streamKey();
    LiveEdge inner = LiveEdge.inProcess();
    LiveEdge edge = new LiveEdge() {
      @Override
      public void announce(Position p) {
        inner.announce(p);
        if (p.part() >= 0) {
          synchronized (out) {
            out.println("edge " + p.msn() + " " + p.part() + " " + System.nanoTime());
            out.flush();
          }
        }
      }

      @Override
      public Registration listen(java.util.function.Consumer<Position> listener) {
        return inner.listen(listener);
      }
    };
    LiveIngest ingest = LiveIngest.builder(Transcoder.create(), store).rtmpPort(rtmpPort)
        .access(AccessPolicy.readOnly()).liveEdge(edge).build().start();
    HlsServer server = HlsServer.builder().mediaStore(store).liveMonitor(ingest).liveEdge(edge)
        .port(httpPort).build().start();
    synchronized (out) {
      out.println("key " + key);
      out.flush();
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) { // until the benchmark closes it
      if (line.equals("count")) {
        StringBuilder b = new StringBuilder("s3");
        new java.util.TreeMap<>(requests).forEach((op, n) -> b.append(' ').append(op)
            .append('=').append(n.get()));
        synchronized (out) {
          out.println(b);
          out.flush();
        }
      }
    }
    server.close();
    ingest.close();
    store.close();
    if (s3 != null) {
      s3.close();
    }
  }

  // ---- the players' JVM ------------------------------------------------------------------------

  /** When each part was announced: msn and part packed into one long. */
  private final Map<Long, Long> announced = new ConcurrentHashMap<>();
  /** The server's counts of S3 requests by operation, each time they were asked. */
  private final java.util.concurrent.LinkedBlockingQueue<String> counted =
      new java.util.concurrent.LinkedBlockingQueue<>();

  private static long key(long msn, long part) {
    return msn * 1000 + part;
  }

  private void round(Path work, Path clip, int n) throws Exception {
    announced.clear();
    Path streams = work.resolve("streams-" + n);
    Process server = new ProcessBuilder("java", "-cp",
        System.getProperty("java.class.path"), HeldPlayers.class.getName(), "--serve",
        "--http-port", String.valueOf(httpPort), "--rtmp-port", String.valueOf(rtmpPort),
        "--streams", streams.toString(), "--store", storeKind)
        .redirectError(work.resolve("server-" + n + ".log").toFile()).start();
    CountDownLatch ready = new CountDownLatch(1);
    String[] key = new String[1];
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(" ");
          if (f[0].equals("key")) {
            key[0] = f[1];
            ready.countDown();
          } else if (f[0].equals("s3")) {
            counted.add(line);
          } else if (f[0].equals("edge")) {
            announced.putIfAbsent(key(Long.parseLong(f[1]), Long.parseLong(f[2])),
                Long.parseLong(f[3]));
          }
        }
      } catch (Exception e) {
        // the server stopped
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    Process publisher = null;
    try {
      if (!ready.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the server did not start: " + work);
      }
      publisher = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
          "-re", "-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-f", "flv",
          "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key[0])
          .redirectErrorStream(true).redirectOutput(work.resolve("publisher.log").toFile())
          .start();
      measure(server, n);
    } finally {
      if (publisher != null) {
        publisher.destroy();
        publisher.waitFor(10, TimeUnit.SECONDS);
      }
      server.getOutputStream().close();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  /** The server's S3 requests so far, by operation (none on a folder). */
  private Map<String, Long> s3Requests(Process server) throws Exception {
    server.getOutputStream().write("count\n".getBytes(StandardCharsets.US_ASCII));
    server.getOutputStream().flush();
    String line = counted.poll(10, TimeUnit.SECONDS);
    Map<String, Long> m = new java.util.TreeMap<>();
    for (String f : line == null ? new String[0] : line.split(" ")) {
      if (f.contains("=")) {
        m.put(f.substring(0, f.indexOf('=')), Long.parseLong(f.substring(f.indexOf('=') + 1)));
      }
    }
    return m;
  }

  private void measure(Process server, int n) throws Exception {
    long serverPid = server.pid();
    String playlist = "http://127.0.0.1:" + httpPort + "/streams/bench/source/index.m3u8";
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(playlist)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("#EXT-X-PART:")) {
          break;
        }
      } catch (java.io.IOException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no Low-Latency playlist at " + playlist);
      }
      Thread.sleep(200);
    }
    NioPlayers.Stats s;
    long cpuFrom;
    long cpuTo;
    long playersFrom;
    long playersTo;
    double wall;
    Map<String, Long> s3From;
    Map<String, Long> s3To;
    long fromNanos;
    long toNanos;
    try (NioPlayers players = new NioPlayers(new InetSocketAddress("127.0.0.1", httpPort),
        URI.create(playlist).getPath(), n)) {
      Thread.sleep(n * 10L + 5000); // every player joined and following the edge
      players.take();
      s3From = s3Requests(server);
      cpuFrom = cpu(serverPid);
      playersFrom = cpu(ProcessHandle.current().pid());
      long from = System.nanoTime();
      fromNanos = from;
      Thread.sleep(seconds * 1000L);
      toNanos = System.nanoTime();
      cpuTo = cpu(serverPid);
      playersTo = cpu(ProcessHandle.current().pid());
      wall = (System.nanoTime() - from) / 1e9;
      s = players.take();
      s3To = s3Requests(server);
    }
    List<Long> wakeUps = new ArrayList<>();
    long held = 0;
    for (long[] r : s.reloads) {
      // a part past a segment's last is the next segment's first
      Long at = announced.getOrDefault(key(r[0], r[1]), announced.get(key(r[0] + 1, 0)));
      if (at != null && r[2] < at) { // sent before the part existed: held, then woken
        wakeUps.add(r[3] - at);
        held++;
      }
    }
    wakeUps.sort(null);
    double cpu = (cpuTo - cpuFrom) / (double) TICK / wall;
    double playersCpu = (playersTo - playersFrom) / (double) TICK / wall;
    System.out.printf("%4d players  %.0f requests/s (%.0f reloads/s, %.0f parts/s)  held %.0f%%"
        + "  wake-up p50 %.1f ms  p99 %.1f ms  max %.1f ms  server CPU %.3f cores = %.2f ms/s"
        + " per player  (the players: %.2f cores)  errors %d%n", n, (s.reloads.size() + s.parts.get()) / wall,
        s.reloads.size() / wall, s.parts.get() / wall,
        s.reloads.isEmpty() ? 0 : 100.0 * held / s.reloads.size(), ms(wakeUps, 0.5),
        ms(wakeUps, 0.99), ms(wakeUps, 1.0), cpu, cpu * 1000 / n, playersCpu, s.errors.get());
    if (!s3To.isEmpty()) {
      // parts written meanwhile: those announced in the window, one rendition
      long parts = announced.values().stream().filter(t -> t >= fromNanos && t <= toNanos)
          .count();
      StringBuilder b = new StringBuilder("     S3 requests per part written (" + parts
          + " parts):");
      s3To.forEach((op, total) -> b.append(String.format(" %s %.2f", op,
          (total - s3From.getOrDefault(op, 0L)) / (double) Math.max(1, parts))));
      System.out.println(b);
    }
  }

  private static double ms(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
  }

  private static long cpu(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  /**
   * What a player needs of a live playlist, read line by line (the players' JVM shares the
   * machine with the server: a full parse of every answer would cost it more than the server
   * spends): the last complete segment's number and parts, and the open segment's parts.
   */
  record Edge(long lastMsn, List<String> lastParts, List<String> openParts) {
    static Edge of(String playlist) {
      long sequence = 0;
      long segments = 0;
      List<String> last = List.of();
      List<String> open = new ArrayList<>();
      for (String line : playlist.split("\n")) {
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          sequence += Long.parseLong(line.substring(22).trim());
        } else if (line.startsWith("#EXT-X-SKIP:SKIPPED-SEGMENTS=")) {
          String n = line.substring(29);
          int comma = n.indexOf(',');
          sequence += Long.parseLong((comma < 0 ? n : n.substring(0, comma)).trim());
        } else if (line.startsWith("#EXT-X-PART:")) {
          int at = line.indexOf("URI=\"") + 5;
          open.add(line.substring(at, line.indexOf('"', at)));
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          segments++;
          last = open;
          open = new ArrayList<>();
        }
      }
      return new Edge(sequence + segments - 1, last, open);
    }

    long nextMsn() {
      return lastMsn + 1;
    }

    long nextPart() {
      return openParts.size();
    }

    Optional<String> partUri(long msn, long part) {
      List<String> parts = msn == lastMsn + 1 ? openParts : msn == lastMsn ? lastParts
          : List.of();
      return part < parts.size() ? Optional.of(parts.get((int) part)) : Optional.empty();
    }
  }
}
