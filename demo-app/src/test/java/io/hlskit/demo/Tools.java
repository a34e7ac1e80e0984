package io.hlskit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The outside tools the end-to-end tests read the demo with: Debian's ffprobe and Chromium with
 * its chromedriver. CI installs them; elsewhere the tests skip, but under {@code CI=true} a
 * missing tool fails them. And the one way the tests wait on the demo's JSON API.
 */
final class Tools {
  private static final ObjectMapper JSON = new ObjectMapper();
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

  /**
   * Debian's Chromium, headless, at a phone's viewport, with a profile of its own in {@code
   * profile}; the caller quits it.
   */
  static WebDriver browser(Path profile, String... arguments) {
    requireBrowser();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--window-size=400,800",
        "--user-data-dir=" + profile);
    options.addArguments(arguments);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /**
   * Where the {@code index}-th video that {@code selector} finds has got to, in seconds, while
   * it plays (not paused, with a frame to show); 0 otherwise, also while there is no such video.
   */
  static double playingAt(WebDriver browser, String selector, int index) {
    Object t = ((JavascriptExecutor) browser).executeScript(
        "const v = document.querySelectorAll(arguments[0])[arguments[1]];"
            + " return v && !v.paused && v.readyState >= 2 ? v.currentTime : 0;",
        selector, index);
    return t instanceof Number ? ((Number) t).doubleValue() : 0;
  }

  /**
   * The longest run of samples of a video's time, taken every {@code sampleSeconds}, in which
   * the time did not move on, in seconds.
   */
  static double longestStall(List<Double> times, double sampleSeconds) {
    double longest = 0;
    int still = 0;
    for (int i = 1; i < times.size(); i++) {
      still = times.get(i) > times.get(i - 1) ? 0 : still + 1;
      longest = Math.max(longest, still * sampleSeconds);
    }
    return longest;
  }

  /** {@link #playingAt(WebDriver, String, int)} of the first video {@code selector} finds. */
  static double playingAt(WebDriver browser, String selector) {
    return playingAt(browser, selector, 0);
  }

  /** Opens the chat of the channel on screen, once the page shows it, and joins as {@code name}. */
  static void joinChat(WebDriver browser, String name) {
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !d.findElements(By.cssSelector(".chat-toggle")).isEmpty());
    browser.findElement(By.cssSelector(".chat-toggle")).click();
    browser.findElement(By.cssSelector(".chat-panel form.name input")).sendKeys(name, Keys.ENTER);
  }

  /**
   * What axe-core (Deque's, injected into the page) finds of serious or critical impact on the
   * page as it is now: one line per rule broken, with the elements that break it.
   */
  @SuppressWarnings("unchecked")
  static List<String> seriousAccessibilityViolations(WebDriver browser) throws IOException {
    String axe;
    try (var in = Tools.class.getResourceAsStream("/axe.min.js")) {
      if (in == null) {
        throw new AssertionError("axe.min.js is not on the test classpath"
            + " (com.deque.html.axe-core:selenium)");
      }
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript(axe);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "axe.run(document, { resultTypes: ['violations'] })"
        + ".then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,"
        + " targets: v.nodes.map(n => n.target.join(' ')) }))))"
        + ".catch(e => done([{ id: 'axe-failed', impact: 'critical', help: String(e),"
        + " targets: [] }]));");
    List<String> serious = new ArrayList<>();
    for (Map<String, Object> v : violations) {
      if ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact"))) {
        serious.add(v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " "
            + v.get("targets"));
      }
    }
    return serious;
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

  /**
   * Reads the JSON at {@code url} every 100 ms until {@code until} holds for it, and returns it;
   * fails with the last answer seen when {@code timeout} passes first. Answers other than 200 are
   * waited through (a listing not yet there, an instance still starting).
   */
  static JsonNode awaitJson(HttpClient http, String url, Predicate<JsonNode> until,
      Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing";
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200) {
        JsonNode json = JSON.readTree(r.body());
        if (until.test(json)) {
          return json;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " did not get there within " + timeout.toSeconds()
            + " s; last answer: " + last);
      }
      Thread.sleep(100);
    }
  }

  /** Waits for the upload job at {@code url} to end (done, failed, cancelled); returns it. */
  static JsonNode awaitJobEnd(HttpClient http, String url, Duration timeout)
      throws IOException, InterruptedException {
    return awaitJson(http, url, j -> j.path("state").asText().matches("done|failed|cancelled"), timeout);
  }
}
