package io.hlskit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How far behind the broadcast a viewer in Chromium sits: one 720p30 publisher (Debian's ffmpeg
 * sending a 3 Mb/s H.264 + AAC clip in real time over RTMP, keyframes every 2 s, no B-frames, as
 * a live encoder sends) into {@code serve --rtmp-port}, played by hls.js (the page's version and
 * its low-latency settings) in headless Chromium, case after case in one run:
 *
 * <ul>
 *   <li>{@code ll-ladder}: Low-Latency HLS, the 720p 1500k + 360p 500k ladder encoded live;
 *   <li>{@code ll-source}: Low-Latency HLS, the stream copied (profile {@code source});
 *   <li>{@code ll-source-200ms}: the same with 0.2 s parts (the least the server takes), so
 *       that players hold back 0.6 s rather than 1 s;
 *   <li>{@code plain-ladder}, {@code plain-source}: the same with {@code lowLatency false}, plain
 *       live HLS with 2 s segments;
 *   <li>{@code nginx-rtmp}: the same publisher into nginx with Debian's nginx-rtmp ({@code hls
 *       on}, 2 s fragments), its folder served by the same nginx.
 * </ul>
 *
 * <p>Latency, sampled every 100 ms while the video plays: for hlskit, {@code Date.now()} minus
 * the program date time of the picture at {@code currentTime} (the server stamps it from its
 * wall clock when the broadcast's first packet comes in, and times every later picture from
 * there); nginx-rtmp writes no program date time, so there it is {@code Date.now()} minus the
 * moment the publisher sent that picture (the picture's MPEG-TS timestamp, which nginx-rtmp takes
 * from RTMP's, against the publisher's own progress lines: when media time 0 left it). Both
 * clocks are this machine's. Stalls: from each {@code waiting} event to the next {@code playing}.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl demo-app,benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.LiveLatency --seconds 60 --rounds 3
 * </pre>
 */
@Command(name = "live-latency", mixinStandardHelpOptions = true)
public final class LiveLatency implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "bench";
  private static final int HTTP = 18391;
  private static final int RTMP = 11947;
  private static final int NGINX_RTMP = 11948;
  private static final int NGINX_HTTP = 18392;
  private static final String LADDER = "720p:1500k,360p:500k";

  /** A case: its name, the channel it publishes to (its {@code POST /api/live} body). */
  private record Case(String name, String body) {
    boolean nginx() {
      return body == null;
    }

    String id() {
      return name.replace("-", "");
    }
  }

  private static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    for (Case c : List.of(
        new Case("ll-ladder", "\"profile\":\"" + LADDER + "\""),
        new Case("ll-source", "\"profile\":\"source\""),
        new Case("ll-source-200ms", "\"profile\":\"source\",\"partSeconds\":0.2"),
        new Case("plain-ladder", "\"profile\":\"" + LADDER + "\",\"lowLatency\":false"),
        new Case("plain-source", "\"profile\":\"source\",\"lowLatency\":false"),
        new Case("nginx-rtmp", null))) {
      CASES.put(c.name(), c);
    }
  }

  /** One case's figures over the measured seconds. */
  private record Result(String name, double p50, double p95, int samples, double behindEdge,
      double longestStall, int stalls, double rate, String errors) {}

  @Option(names = "--seconds", defaultValue = "60", description = "seconds measured per case")
  int seconds;

  @Option(names = "--warmup", defaultValue = "20",
      description = "seconds of playing before measuring (the player has caught up)")
  int warmup;

  @Option(names = "--join", defaultValue = "15",
      description = "seconds the broadcast runs before the player joins, as viewers join a"
          + " broadcast under way (a player starts from the playlist it finds)")
  int join;

  @Option(names = "--rounds", defaultValue = "1", description = "every case this many times")
  int rounds;

  @Option(names = "--cases", split = ",",
      defaultValue = "ll-ladder,ll-source,ll-source-200ms,plain-ladder,plain-source,nginx-rtmp")
  List<String> cases;

  @Option(names = "--jar", defaultValue = "demo-app/target/hlskit-demo.jar")
  Path jar;

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base = "http://127.0.0.1:" + HTTP;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LiveLatency()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String c : cases) {
      if (!CASES.containsKey(c)) {
        throw new IllegalArgumentException("unknown case '" + c + "'; cases: " + CASES.keySet());
      }
    }
    require(Files.isRegularFile(jar), jar + " is missing: ./mvnw -q package -DskipTests");
    require(Files.isExecutable(Path.of("/usr/bin/chromium"))
        && Files.isExecutable(Path.of("/usr/bin/chromedriver")),
        "Debian's chromium and chromium-driver are missing: apt-get install chromium"
            + " chromium-driver");
    require(Files.exists(Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so")),
        "nginx-rtmp is missing: apt-get install nginx libnginx-mod-rtmp");
    Path work = Files.createTempDirectory("hlskit-live-latency");
    work.toFile().setExecutable(true, false); // nginx's worker (nobody) reads its folder
    List<Process> servers = new ArrayList<>();
    try {
      Path clip = clip(work, join + warmup + seconds + 40);
      servers.add(serve(work));
      servers.add(nginx(work));
      Map<String, String> keys = new LinkedHashMap<>();
      for (String name : cases) {
        Case c = CASES.get(name);
        if (!c.nginx()) {
          keys.put(name, createChannel(c));
        }
      }
      System.out.printf("live latency, one 720p30 3 Mb/s RTMP publisher, the player joining %d s"
          + " in, %d s measured per case after %d s of playing, %d cores%n", join, seconds, warmup,
          Runtime.getRuntime().availableProcessors());
      Map<String, List<Result>> all = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (String name : cases) {
          Result r = measure(work, clip, CASES.get(name), keys.get(name), round);
          all.computeIfAbsent(name, n -> new ArrayList<>()).add(r);
          System.out.printf("round %d  %-12s latency p50 %.2f s  p95 %.2f s  (%d samples)"
              + "  behind the playlist's edge %.2f s  stalls %d, longest %.2f s  mean rate %.3f%s%n",
              round, name, r.p50(), r.p95(), r.samples(), r.behindEdge(), r.stalls(),
              r.longestStall(), r.rate(), r.errors().isEmpty() ? "" : "  errors " + r.errors());
        }
      }
      System.out.println("medians over rounds:");
      for (var e : all.entrySet()) {
        System.out.printf("%-12s latency p50 %.2f s  p95 %.2f s  longest stall %.2f s%n",
            e.getKey(), median(e.getValue().stream().mapToDouble(Result::p50).toArray()),
            median(e.getValue().stream().mapToDouble(Result::p95).toArray()),
            e.getValue().stream().mapToDouble(Result::longestStall).max().orElse(0));
      }
      return 0;
    } finally {
      for (Process p : servers) {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      if (System.getenv("KEEP") == null) {
        BenchMedia.delete(work);
      } else {
        System.out.println("logs kept in " + work);
      }
    }
  }

  private static void require(boolean present, String message) {
    if (!present) {
      throw new IllegalStateException(message);
    }
  }

  /** What a live encoder sends: 720p30 H.264 at 3 Mb/s, a keyframe every 2 s, no B-frames. */
  private static Path clip(Path work, int seconds) throws Exception {
    Path clip = work.resolve("in.flv");
    run(work.resolve("clip.log"), "ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264",
        "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0", "-b:v", "3M", "-maxrate",
        "3M", "-bufsize", "6M", "-g", "60", "-keyint_min", "60", "-pix_fmt", "yuv420p", "-c:a",
        "aac", "-b:a", "128k", "-f", "flv", clip.toString());
    return clip;
  }

  private static void run(Path log, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: "
          + Files.readString(log));
    }
  }

  private Process serve(Path work) throws Exception {
    return serve(http, base, work, jar.toString(), "--no-samples", "--port",
        String.valueOf(HTTP), "--rtmp-port", String.valueOf(RTMP), "--admin-token", TOKEN,
        "--streams", work.resolve("streams").toString());
  }

  /**
   * Starts the demo's {@code serve} from {@code jar} with {@code arguments}, its log in {@code
   * work}, and returns once {@code base} answers its health check.
   */
  static Process serve(HttpClient http, String base, Path work, String jar, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar, "serve"));
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("serve.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/api/health"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200) {
          return p;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    p.destroy();
    throw new IllegalStateException("serve did not start: " + work.resolve("serve.log"));
  }

  private static Process nginx(Path work) throws Exception {
    Path hls = Files.createDirectories(work.resolve("nginx"));
    hls.toFile().setWritable(true, false); // its worker runs as nobody when started by root
    Path conf = work.resolve("nginx.conf");
    Files.writeString(conf, """
        load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
        worker_processes 1;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/nginx-error.log warn;
        events { worker_connections 1024; }
        rtmp {
          server {
            listen 127.0.0.1:%2$d;
            chunk_size 4096;
            application live {
              live on;
              hls on;
              hls_path %3$s;
              hls_nested on;
              hls_fragment 2s;
              hls_playlist_length 5m;
            }
          }
        }
        http {
          access_log off;
          types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
          server {
            listen 127.0.0.1:%4$d;
            location /hls/ {
              alias %3$s/;
              add_header Cache-Control no-cache;
              add_header Access-Control-Allow-Origin *;
            }
          }
        }
        """.formatted(work, NGINX_RTMP, hls, NGINX_HTTP));
    Process p = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", work.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("nginx.log").toFile()).start();
    Thread.sleep(1000);
    require(p.isAlive(), "nginx did not start: " + Files.readString(work.resolve("nginx.log")));
    return p;
  }

  private String createChannel(Case c) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/live"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + c.id() + "\","
            + c.body() + "}")).build(), HttpResponse.BodyHandlers.ofString());
    require(r.statusCode() / 100 == 2, c.name() + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body()).path("streamKey").asText();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private Result measure(Path work, Path clip, Case c, String key, int round) throws Exception {
    String rtmp = c.nginx() ? "rtmp://127.0.0.1:" + NGINX_RTMP + "/live/" + c.id()
        : "rtmp://127.0.0.1:" + RTMP + "/live/" + key;
    String playlist = c.nginx() ? "http://127.0.0.1:" + NGINX_HTTP + "/hls/" + c.id()
        + "-" + round + "/index.m3u8" : base + "/streams/" + c.id() + "/playlist.m3u8";
    if (c.nginx()) {
      rtmp += "-" + round; // a stream of its own each round: its timestamps start at 0
    }
    Publisher publisher = new Publisher(clip, rtmp, work.resolve(c.name() + "-" + round + ".log"));
    WebDriver browser = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (get(playlist).statusCode() != 200) {
        require(System.nanoTime() < deadline, c.name() + ": no playlist at " + playlist);
        Thread.sleep(200);
      }
      Thread.sleep(join * 1000L);
      browser = browser(work.resolve("profile-" + c.name() + "-" + round));
      browser.get(base + "/api/health");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript(player(), hlsJs(), playlist);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (!Boolean.TRUE.equals(js.executeScript("return window.measure.playing"))) {
        require(System.nanoTime() < deadline, c.name() + ": hls.js did not play: "
            + js.executeScript("return JSON.stringify(window.measure.errors)"));
        Thread.sleep(200);
      }
      Thread.sleep(warmup * 1000L);
      js.executeScript("window.measure.reset()");
      Thread.sleep(seconds * 1000L);
      JsonNode m = JSON.readTree((String) js.executeScript("return window.measure.json()"));
      // media time 0 in nginx-rtmp's MPEG-TS: its first picture's time less the clip's
      double pts0 = c.nginx() ? firstPts(work.resolve("nginx").resolve(c.id() + "-" + round))
          - firstVideoPts(clip) : 0;
      List<Double> latencies = new ArrayList<>();
      List<Double> behind = new ArrayList<>();
      double rates = 0;
      for (JsonNode s : m.path("samples")) {
        double now = s.get(0).asDouble();
        if (c.nginx()) {
          double sent = publisher.origin * 1000
              + (s.get(2).asDouble() + m.path("initPts").asDouble() - pts0) * 1000;
          latencies.add((now - sent) / 1000);
        } else if (!s.get(1).isNull()) {
          latencies.add((now - s.get(1).asDouble()) / 1000);
        }
        behind.add(s.get(4).asDouble());
        rates += s.get(3).asDouble();
      }
      List<Double> stalls = new ArrayList<>();
      m.path("stalls").forEach(s -> stalls.add(s.asDouble()));
      int n = m.path("samples").size();
      return new Result(c.name(), percentile(latencies, 0.5), percentile(latencies, 0.95),
          latencies.size(), percentile(behind, 0.5),
          stalls.stream().mapToDouble(Double::doubleValue).max().orElse(0), stalls.size(),
          n == 0 ? 0 : rates / n, m.path("errors").toString().equals("[]") ? ""
              : m.path("errors").toString());
    } finally {
      if (browser != null) {
        browser.quit();
      }
      publisher.stop();
    }
  }

  /**
   * The MPEG-TS time of the first picture nginx-rtmp wrote for a stream: media time 0 of its
   * publisher (nginx-rtmp writes RTMP's timestamps, which ffmpeg starts at 0, plus a constant).
   */
  private static double firstPts(Path folder) throws Exception {
    Path first;
    try (var files = Files.list(folder)) {
      first = files.filter(p -> p.toString().endsWith(".ts"))
          .min((a, b) -> Integer.compare(number(a), number(b))).orElseThrow();
    }
    return firstVideoPts(first);
  }

  /** The first video packet's presentation time in {@code file}, in seconds (ffprobe). */
  private static double firstVideoPts(Path file) throws Exception {
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "packet=pts_time", "-read_intervals", "%+#1", "-of", "csv=p=0",
        file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return Double.parseDouble(out.lines().findFirst().orElseThrow().split(",")[0]);
  }

  private static int number(Path segment) {
    Matcher m = Pattern.compile("(\\d+)\\.ts$").matcher(segment.getFileName().toString());
    return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  /** The path of hls.js the demo's page loads (its WebJar), as the page names it. */
  private String hlsJs() throws Exception {
    return hlsJs(http, base);
  }

  /** The path of hls.js the demo's page at {@code base} loads, as the page names it. */
  static String hlsJs(HttpClient http, String base) throws Exception {
    Matcher m = Pattern.compile("src=\"([^\"]*hls(\\.min)?\\.js)\"").matcher(http.send(
        HttpRequest.newBuilder(URI.create(base + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    require(m.find(), "the demo's page names no hls.js");
    return m.group(1);
  }

  static WebDriver browser(Path profile, String... arguments) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--window-size=800,600",
        "--user-data-dir=" + profile);
    options.addArguments(arguments);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  /**
   * The player: hls.js with the page's live settings, and {@code window.measure}, sampling
   * every 100 ms while the video plays: the wall clock, the program date time of the picture
   * at {@code currentTime} (from the segment or part playing, whose segment carries the date),
   * {@code currentTime}, the playback rate and how far behind the playlist's edge hls.js says
   * it is. Arguments: the script's URL, the playlist's.
   */
  static String player() {
    return """
        const [script, playlist] = arguments;
        document.body.innerHTML = '<video muted autoplay playsinline width="640"></video>';
        const v = document.querySelector('video');
        const m = window.measure = { samples: [], stalls: [], errors: [], initPts: null,
          playing: false, waitingAt: null };
        m.reset = () => { m.samples = []; m.stalls = []; };
        m.json = () => JSON.stringify(m);
        const tag = document.createElement('script');
        tag.src = script;
        tag.onload = () => {
          const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 });
          hls.on(Hls.Events.INIT_PTS_FOUND, (e, d) => {
            if (m.initPts === null) m.initPts = d.initPTS / d.timescale;
          });
          hls.on(Hls.Events.ERROR, (e, d) => { if (d.fatal) m.errors.push(d.details); });
          hls.loadSource(playlist);
          hls.attachMedia(v);
          v.addEventListener('playing', () => {
            m.playing = true;
            if (m.waitingAt !== null) {
              m.stalls.push((performance.now() - m.waitingAt) / 1000);
              m.waitingAt = null;
            }
          });
          v.addEventListener('waiting', () => {
            if (m.playing && m.waitingAt === null) m.waitingAt = performance.now();
          });
          const dateAt = t => {
            const f = hls.streamController.currentFrag;
            const segment = f && (f.fragment || f);
            return segment && Number.isFinite(segment.programDateTime)
              ? segment.programDateTime + (t - segment.start) * 1000 : null;
          };
          setInterval(() => {
            if (v.paused || v.readyState < 3 || m.waitingAt !== null) return;
            const t = v.currentTime;
            m.samples.push([Date.now(), dateAt(t), t, v.playbackRate, hls.latency]);
          }, 100);
        };
        document.head.appendChild(tag);
        """;
  }

  /** Debian's ffmpeg sending the clip in real time; when media time 0 left it, in seconds. */
  private static final class Publisher {
    final Process process;
    volatile double origin = Double.POSITIVE_INFINITY;

    Publisher(Path clip, String url, Path log) throws IOException {
      process = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
          "-re", "-i", clip.toString(), "-c", "copy", "-f", "flv", "-progress", "pipe:1",
          "-stats_period", "0.1", url).redirectError(log.toFile()).start();
      Thread reader = new Thread(this::read, "publisher-progress");
      reader.setDaemon(true);
      reader.start();
    }

    /** The least delayed progress line: wall clock minus the media time it says was sent. */
    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("out_time_us=")) {
            double now = System.currentTimeMillis() / 1000.0;
            try {
              double sent = Long.parseLong(line.substring(12)) / 1e6;
              if (sent > 0) {
                origin = Math.min(origin, now - sent);
              }
            } catch (NumberFormatException e) {
              // "N/A" before the first packet
            }
          }
        }
      } catch (IOException e) {
        // the publisher was stopped
      }
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2]
        : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
