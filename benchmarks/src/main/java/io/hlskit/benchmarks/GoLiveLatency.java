package io.hlskit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.server.JwtTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * From a browser's camera to another viewer's screen: headless Chromium with its fake camera
 * and microphone goes live from the demo's page ("Go live": MediaRecorder, 250 ms chunks over
 * {@code /ws/publish}, encoded into the page's 480p + 240p ladder, Low-Latency HLS), and a second
 * Chromium plays the channel with the page's hls.js and its low-latency settings.
 *
 * <p>The fake camera's pictures carry no clock, so the sender's clock is taken at the moment its
 * recorder starts (media time 0 leaves the camera; the page notes it), and the server's at the
 * moment the broadcast starts (its {@code since}, from which every picture's program date time
 * is counted). A picture at media time t left the camera at {@code startedAt + t} and carries
 * the date {@code since + t}; on screen at {@code now}, it is {@code now - date + (since -
 * startedAt)} behind the camera. Both browsers and the server share this machine's clock. Also
 * reported: ingest to screen ({@code now - date}), as {@code LiveLatency} measures it for RTMP.
 *
 * <pre>
 * ./mvnw -q package -DskipTests -pl demo-app,benchmarks -am
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.GoLiveLatency --seconds 60 --rounds 3
 * </pre>
 */
@Command(name = "go-live-latency", mixinStandardHelpOptions = true)
public final class GoLiveLatency implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "a-benchmark-secret-of-at-least-thirty-two-bytes";
  private static final int HTTP = 18393;
  private static final int RTMP = 11949;

  @Option(names = "--seconds", defaultValue = "60", description = "seconds measured per round")
  int seconds;

  @Option(names = "--warmup", defaultValue = "15",
      description = "seconds of playing before measuring (the player has caught up)")
  int warmup;

  @Option(names = "--rounds", defaultValue = "1", description = "broadcasts, one after another")
  int rounds;

  @Option(names = "--jar", defaultValue = "demo-app/target/hlskit-demo.jar")
  Path jar;

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base = "http://127.0.0.1:" + HTTP;

  public static void main(String[] args) {
    System.exit(new CommandLine(new GoLiveLatency()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: ./mvnw -q package -DskipTests");
    }
    Path work = Files.createTempDirectory("hlskit-go-live-latency");
    Process server = serve(work);
    try {
      System.out.printf("camera to screen, Chromium's fake camera live from the page into the"
          + " 480p + 240p ladder, %d s measured per round after %d s of playing, %d cores%n",
          seconds, warmup, Runtime.getRuntime().availableProcessors());
      List<double[]> results = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double[] r = measure(work, round);
        results.add(r);
        System.out.printf("round %d  camera to screen p50 %.2f s  p95 %.2f s  ingest to screen"
            + " p50 %.2f s  (the server's origin %+.3f s from the recorder's)  stalls %d, longest"
            + " %.2f s%n", round, r[0], r[1], r[2], r[3], (int) r[4], r[5]);
      }
      System.out.printf("medians over rounds: camera to screen p50 %.2f s  p95 %.2f s  ingest"
          + " to screen p50 %.2f s%n",
          LiveLatency.median(results.stream().mapToDouble(r -> r[0]).toArray()),
          LiveLatency.median(results.stream().mapToDouble(r -> r[1]).toArray()),
          LiveLatency.median(results.stream().mapToDouble(r -> r[2]).toArray()));
      return 0;
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      if (System.getenv("KEEP") == null) {
        BenchMedia.delete(work);
      } else {
        System.out.println("logs kept in " + work);
      }
    }
  }

  private Process serve(Path work) throws Exception {
    return LiveLatency.serve(http, base, work, jar.toString(), "--no-samples", "--port",
        String.valueOf(HTTP), "--rtmp-port", String.valueOf(RTMP), "--jwt-secret", SECRET,
        "--live-grace", "5s", "--streams", work.resolve("streams").toString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One broadcast: {camera p50, p95, ingest p50, since - startedAt, stalls, longest stall}. */
  private double[] measure(Path work, int round) throws Exception {
    String user = "bench" + round;
    String token = JwtTokens.hs256(SECRET).subject(user).name(user).role("publisher")
        .ttl(Duration.ofHours(1)).sign();
    String id = "live-" + user;
    WebDriver studio = LiveLatency.browser(work.resolve("studio-" + round),
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
    WebDriver viewer = null;
    try {
      studio.get(base + "/#token=" + token);
      new WebDriverWait(studio, Duration.ofSeconds(20))
          .until(d -> !d.findElements(By.cssSelector("#account .go-live")).isEmpty());
      studio.findElement(By.cssSelector("#account .go-live")).click();
      new WebDriverWait(studio, Duration.ofSeconds(20)).until(d -> ((Number)
          ((JavascriptExecutor) d).executeScript("return document.querySelector("
              + "'.go-live-panel .preview').videoWidth")).intValue() > 0);
      studio.findElement(By.cssSelector(".go-live-panel .start")).click();
      new WebDriverWait(studio, Duration.ofSeconds(30)).until(d -> d.findElement(
          By.cssSelector(".go-live-panel .live-state")).getText().contains("You are live"));
      double startedAt = Double.parseDouble((String) ((JavascriptExecutor) studio)
          .executeScript("return document.querySelector('.go-live-panel').dataset.startedAt"));
      String playlist = base + "/streams/" + id + "/playlist.m3u8";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (get(playlist).statusCode() != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no playlist at " + playlist);
        }
        Thread.sleep(200);
      }
      JsonNode channel = JSON.readTree(get(base + "/api/channels/" + id).body());
      double since = Instant.parse(channel.path("since").asText()).toEpochMilli();

      viewer = LiveLatency.browser(work.resolve("viewer-" + round));
      viewer.get(base + "/api/health");
      JavascriptExecutor js = (JavascriptExecutor) viewer;
      js.executeScript(LiveLatency.player(), LiveLatency.hlsJs(http, base), playlist);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (!Boolean.TRUE.equals(js.executeScript("return window.measure.playing"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("hls.js did not play: "
              + js.executeScript("return JSON.stringify(window.measure.errors)"));
        }
        Thread.sleep(200);
      }
      Thread.sleep(warmup * 1000L);
      js.executeScript("window.measure.reset()");
      Thread.sleep(seconds * 1000L);
      JsonNode m = JSON.readTree((String) js.executeScript("return window.measure.json()"));
      List<Double> camera = new ArrayList<>();
      List<Double> ingest = new ArrayList<>();
      for (JsonNode s : m.path("samples")) {
        if (s.get(1).isNull()) {
          continue;
        }
        double behind = (s.get(0).asDouble() - s.get(1).asDouble()) / 1000;
        ingest.add(behind);
        camera.add(behind + (since - startedAt) / 1000);
      }
      List<Double> stalls = new ArrayList<>();
      m.path("stalls").forEach(s -> stalls.add(s.asDouble()));
      studio.findElement(By.cssSelector(".go-live-panel .end")).click();
      return new double[] {LiveLatency.percentile(camera, 0.5),
          LiveLatency.percentile(camera, 0.95), LiveLatency.percentile(ingest, 0.5),
          (since - startedAt) / 1000, stalls.size(),
          stalls.stream().mapToDouble(Double::doubleValue).max().orElse(0)};
    } finally {
      studio.quit();
      if (viewer != null) {
        viewer.quit();
      }
    }
  }
}
