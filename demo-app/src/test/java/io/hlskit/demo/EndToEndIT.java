package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.SegmentFormat;
import io.hlskit.transcode.Thumbnails;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The thin path end to end: a file converted in-process, published in a folder, served by the
 * demo's assembly over real HTTP, read by Debian's ffprobe and played in real headless Chromium.
 */
class EndToEndIT {
  @TempDir
  static Path dir;

  static final String TOKEN = "e2e-admin-token";
  static DemoServer demo;
  static String base;

  @BeforeAll
  static void convertAndServe() {
    Transcoder transcoder = Transcoder.create();
    Path streams = dir.resolve("streams");
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    demo = DemoServer.start(new StorageOptions.Storage(store, streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, TOKEN, 50_000_000, dir.resolve("uploads"),
            dir.resolve("work"), List.of(), List.of(), null));
    base = "http://127.0.0.1:" + demo.server.port();
    // canal1: an adaptive ladder from a 720p source (720p + 360p); canal2: portrait, one
    // rendition in fragmented MP4, with a thumbnail every 2 s
    Path landscape = dir.resolve("canal1.mp4");
    SampleVideo.write(landscape, SampleVideo.Spec.mp4(1280, 720, 8));
    transcoder.transcode(TranscodeRequest.builder(landscape, "canal1").title("Canal canal1")
        .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(2)).build(), demo.store,
        ProgressListener.none());
    Path portrait = dir.resolve("canal2.mp4");
    SampleVideo.write(portrait, SampleVideo.Spec.mp4(360, 640, 8));
    transcoder.transcode(TranscodeRequest.builder(portrait, "canal2").title("Canal canal2")
        .profile(Profile.LOW).format(SegmentFormat.FMP4).segmentDuration(Duration.ofSeconds(2))
        .thumbnails(Thumbnails.DEFAULT.every(Duration.ofSeconds(2)))
        .build(), demo.store, ProgressListener.none());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void theApiListsTheConvertedChannels() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/api/channels")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode channels = new ObjectMapper().readTree(r.body());

    assertThat(channels).hasSizeGreaterThanOrEqualTo(2);
    for (JsonNode c : channels) {
      if (!c.get("id").asText().startsWith("canal")) {
        continue; // channels other tests upload
      }
      assertThat(c.get("durationSeconds").asDouble()).isBetween(7.8, 8.1);
      List<String> names = new java.util.ArrayList<>();
      c.get("renditions").forEach(rendition -> names.add(rendition.get("name").asText()));
      assertThat(names).isEqualTo(c.get("id").asText().equals("canal1")
          ? List.of("720p", "360p") : List.of("360p"));
    }
  }

  @Test
  void ffprobeReadsTheChannelOverHttp() throws Exception {
    Tools.requireFfprobe();
    String url = base + "/streams/canal1/playlist.m3u8";

    String streams = Tools.ffprobe("-show_entries", "stream=codec_name,width,height",
        "-of", "compact", url);
    double duration = Double.parseDouble(Tools.ffprobe("-show_entries", "format=duration",
        "-of", "csv=p=0", url).strip());

    assertThat(streams).contains("codec_name=h264").contains("width=640").contains("height=360")
        .contains("codec_name=aac");
    assertThat(duration).isBetween(7.8, 8.2);
  }

  @Test
  void ffmpegDecodesEveryRenditionOverHttpWithoutAnError() throws Exception {
    Tools.requireFfprobe();
    for (String playlist : List.of("/streams/canal1/720p/index.m3u8",
        "/streams/canal1/360p/index.m3u8", "/streams/canal2/playlist.m3u8")) {
      Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i",
          base + playlist, "-f", "null", "-").redirectErrorStream(true).start();
      String errors = new String(p.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(playlist + ": " + errors).isZero();
      assertThat(errors).as("ffmpeg's complaints about " + playlist).isBlank();
    }
  }

  private static WebDriver browser(String profile) {
    return Tools.browser(dir.resolve(profile));
  }

  @Test
  void twoBrowsersChatAndMarkupStaysText() {
    WebDriver ana = browser("profile-ana");
    WebDriver ben = browser("profile-ben");
    try {
      for (WebDriver b : List.of(ana, ben)) {
        b.get(base + "/");
        Tools.joinChat(b, b == ana ? "ana" : "ben");
      }
      WebDriverWait waitAna = new WebDriverWait(ana, Duration.ofSeconds(30));
      waitAna.until(d -> d.findElement(By.cssSelector(".counts")).getText()
          .startsWith("2 watching"));

      String hostile = "<img src=x onerror=alert(1)>";
      ben.findElement(By.cssSelector(".chat-panel form.say input")).sendKeys(hostile, Keys.ENTER);

      waitAna.until(d -> d.findElements(By.cssSelector(".messages li")).stream()
          .anyMatch(li -> li.getText().equals("ben " + hostile)));
      assertThat(ana.findElements(By.cssSelector(".messages img"))).isEmpty();
      assertThat(ana.findElements(By.cssSelector(".messages li strong bdi")))
          .as("names isolated from the text around them").extracting(e -> e.getText())
          .contains("ben");
      assertThat(ana.findElement(By.cssSelector(".counts")).getText())
          .isEqualTo("2 watching · 2 online");
    } finally {
      ana.quit();
      ben.quit();
    }
  }

  @Test
  void anAdminDeletesAMessageFromEveryScreenAndMutesItsSender() {
    WebDriver viewer = browser("profile-viewer");
    WebDriver admin = browser("profile-admin");
    try {
      viewer.get(base + "/");
      WebDriverWait wait = new WebDriverWait(viewer, Duration.ofSeconds(30));
      Tools.joinChat(viewer, "troll");
      WebElement say = viewer.findElement(By.cssSelector(".chat-panel form.say input"));
      say.sendKeys("buy cheap followers", Keys.ENTER);
      wait.until(d -> chatTexts(d, ".messages li").contains("troll buy cheap followers"));
      // the chat follows the channel on screen: the feed's first one
      String room = viewer.findElement(By.cssSelector("section.channel")).getAttribute("data-id");

      admin.get(base + "/admin.html");
      admin.findElement(By.name("token")).sendKeys(TOKEN);
      WebDriverWait waitAdmin = new WebDriverWait(admin, Duration.ofSeconds(30));
      waitAdmin.until(d -> !d.findElements(By.cssSelector("#mod-channel option")).isEmpty());
      new Select(admin.findElement(By.id("mod-channel"))).selectByValue(room);
      admin.findElement(By.id("mod-load")).click();
      waitAdmin.until(d -> chatTexts(d, "#mod-messages li .text").stream()
          .anyMatch(t -> t.equals("buy cheap followers")));
      admin.findElement(By.cssSelector("#mod-messages li button.delete")).click();

      wait.until(d -> !chatTexts(d, ".messages li").contains("troll buy cheap followers"));
      waitAdmin.until(d -> d.findElements(By.cssSelector("#mod-messages li")).isEmpty());

      say.sendKeys("still here", Keys.ENTER);
      wait.until(d -> chatTexts(d, ".messages li").contains("troll still here"));
      admin.findElement(By.id("mod-load")).click();
      waitAdmin.until(d -> chatTexts(d, "#mod-messages li .text").contains("still here"));
      admin.findElement(By.cssSelector("#mod-messages li button.mute")).click();
      waitAdmin.until(d -> chatTexts(d, "#mod-muted li bdi").contains("troll"));

      say.sendKeys("you cannot stop me", Keys.ENTER);
      wait.until(d -> chatTexts(d, ".messages li.system").stream()
          .anyMatch(t -> t.contains("muted you")));
      assertThat(chatTexts(viewer, ".messages li")).doesNotContain("troll you cannot stop me");
    } finally {
      viewer.quit();
      admin.quit();
    }
  }

  /** The texts of the elements {@code css} selects, read in one step (lists are re-rendered). */
  @SuppressWarnings("unchecked")
  private static List<String> chatTexts(WebDriver d, String css) {
    return (List<String>) ((JavascriptExecutor) d).executeScript("return [...document"
        + ".querySelectorAll(arguments[0])].map(e => e.innerText.trim())", css);
  }

  @Test
  void chromiumPlaysTheFeedAndMovesToTheNextChannel() throws Exception {
    WebDriver browser = browser("profile-feed");
    try {
      browser.get(base + "/");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      JavascriptExecutor js = (JavascriptExecutor) browser;

      wait.until(d -> Tools.playingAt(browser, "video", 0) > 2.0);
      List<String> titles = browser.findElements(By.cssSelector("section.channel h2")).stream()
          .map(e -> e.getText()).toList();
      assertThat(titles).contains("Canal canal1", "Canal canal2");
      // the player names itself in its requests: the server counts it as a viewer
      String first = (String) js.executeScript(
          "return document.querySelector('section.channel').dataset.id");
      JsonNode watched = Tools.awaitJson(HttpClient.newHttpClient(),
          base + "/api/channels/" + first, c -> c.get("viewers").asInt() >= 1,
          Duration.ofSeconds(10));
      assertThat(watched.get("viewers").asInt()).isGreaterThanOrEqualTo(1);

      screenshot(browser, "feed-phone.png");
      browser.manage().window().setSize(new Dimension(1280, 800));
      double atResize = Tools.playingAt(browser, "video", 0);
      // still playing at a desktop size: the clock moves on (or wraps round the 8 s loop)
      wait.until(d -> {
        double t = Tools.playingAt(browser, "video", 0);
        return t > 0 && Math.abs(t - atResize) > 1.0;
      });
      screenshot(browser, "feed-desktop.png");
      browser.manage().window().setSize(new Dimension(400, 800));

      // keys: down to the next channel, which plays; the one left behind pauses
      browser.findElement(By.id("feed")).sendKeys(Keys.ARROW_DOWN);
      wait.until(d -> Tools.playingAt(browser, "video", 1) > 2.0);
      assertThat((Boolean) js.executeScript(
          "return document.querySelectorAll('video')[0].paused")).isTrue();

      // the mouse wheel: back up
      new Actions(browser).scrollFromOrigin(WheelInput.ScrollOrigin.fromViewport(200, 400),
          0, -800).perform();
      wait.until(d -> Tools.playingAt(browser, "video", 0) > 0 && isPaused(js, 1));

      // a swipe, as a finger does it: touch input on, then a finger dragged up the screen
      ((ChromeDriver) browser).executeCdpCommand("Emulation.setTouchEmulationEnabled",
          Map.of("enabled", true, "maxTouchPoints", 1));
      PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
      Sequence swipe = new Sequence(finger, 0)
          .addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(),
              200, 600))
          .addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
          .addAction(finger.createPointerMove(Duration.ofMillis(250),
              PointerInput.Origin.viewport(), 200, 100))
          .addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
      ((ChromeDriver) browser).perform(List.of(swipe));
      wait.until(d -> Tools.playingAt(browser, "video", 1) > 0 && isPaused(js, 0));
    } finally {
      browser.quit();
    }
  }

  @Test
  void theQualityMenuFollowsTheLadderAndPinsARendition() {
    WebDriver browser = browser("profile-quality");
    try {
      browser.get(base + "/#canal1");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String select = "section[data-id=canal1] select.quality";
      wait.until(d -> d.findElement(By.cssSelector(select)).isDisplayed()
          && d.findElements(By.cssSelector(select + " option")).size() == 3);

      List<String> options = browser.findElements(By.cssSelector(select + " option")).stream()
          .map(o -> o.getText()).toList();
      assertThat(options.get(0)).startsWith("Auto");
      assertThat(options.subList(1, 3)).containsExactlyInAnyOrder("720p", "360p");

      new Select(browser.findElement(By.cssSelector(select))).selectByVisibleText("360p");
      wait.until(d -> "360".equals(d.findElement(By.cssSelector(select))
          .getAttribute("data-playing")));
      wait.until(d -> Long.valueOf(360).equals(js.executeScript("return document.querySelector("
          + "'section[data-id=canal1] video').videoHeight")));
      assertThat(browser.findElement(By.cssSelector(select)).getAttribute("value"))
          .as("pinned, not automatic").isNotEqualTo("-1");
      screenshot(browser, "feed-quality.png");
    } finally {
      browser.quit();
    }
  }

  @Test
  void onDemandTheBarSeeksTheKeysControlAndShareCopiesTheDeepLink() {
    WebDriver browser = browser("profile-controls");
    try {
      browser.get(base + "/#canal2");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      JavascriptExecutor js = (JavascriptExecutor) browser;
      String section = "section[data-id=canal2]";
      wait.until(d -> Tools.playingAt(d, section + " video") > 0.3);

      // dragged to 5 s: the video goes there
      js.executeScript("const bar = document.querySelector('" + section + " input.progress');"
          + " bar.value = '5'; bar.dispatchEvent(new Event('input', { bubbles: true }));");
      wait.until(d -> ((Number) js.executeScript("return document.querySelector('" + section
          + " video').currentTime")).doubleValue() >= 4.9);
      assertThat((String) js.executeScript("return document.querySelector('" + section
          + " input.progress').getAttribute('aria-valuetext')")).endsWith("of 0:08");
      // the thumbnail of 4-6 s shows over the bar: the third of a 180x320 sheet's row
      String preview = "document.querySelector('" + section + " .scrub-preview')";
      wait.until(d -> "-360px 0px".equals(js.executeScript("return " + preview
          + ".hidden ? null : " + preview + ".style.backgroundPosition")));
      assertThat((String) js.executeScript("return " + preview + ".style.backgroundImage"))
          .contains("/streams/canal2/thumbnails/tiles-00000.jpg");
      assertThat((Boolean) js.executeScript("const img = new Image(); img.src = "
          + preview + ".style.backgroundImage.slice(5, -2); return img.decode()"
          + ".then(() => img.naturalWidth === 180 * 10 && img.naturalHeight === 320)"))
          .as("the sheet loads: a row of 10 slots of 180x320 (4 used)").isTrue();
      js.executeScript("document.querySelector('" + section + " input.progress')"
          + ".dispatchEvent(new Event('change', { bubbles: true }));");
      assertThat((Boolean) js.executeScript("return " + preview + ".hidden")).isTrue();

      // m unmutes and mutes; the button says which, with an icon drawn as SVG
      String pressed = "return document.querySelector('" + section
          + " button.sound').getAttribute('aria-pressed')";
      assertThat(js.executeScript(pressed)).isEqualTo("false");
      browser.findElement(By.id("feed")).sendKeys("m");
      wait.until(d -> "true".equals(js.executeScript(pressed)));
      assertThat((Boolean) js.executeScript("return !!document.querySelector('" + section
          + " button.sound svg')")).isTrue();
      browser.findElement(By.id("feed")).sendKeys("m");
      wait.until(d -> "false".equals(js.executeScript(pressed)));

      // share: the channel's deep link goes to the clipboard (watched here, not read back:
      // a headless browser's clipboard needs a permission prompt)
      js.executeScript("window.copied = null; navigator.clipboard.writeText ="
          + " (text) => { window.copied = text; return Promise.resolve(); };");
      browser.findElement(By.cssSelector(section + " button.share")).click();
      wait.until(d -> js.executeScript("return window.copied") != null);
      assertThat((String) js.executeScript("return window.copied")).isEqualTo(base + "/#canal2");
      assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Link copied");
    } finally {
      browser.quit();
    }
  }

  @Test
  void theFeedAndTheAdminPageHaveNoSeriousAccessibilityProblem() throws Exception {
    WebDriver browser = browser("profile-axe");
    try {
      browser.get(base + "/#canal1");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      wait.until(d -> d.findElement(By.cssSelector("section[data-id=canal1] select.quality"))
          .isDisplayed());
      assertThat(Tools.seriousAccessibilityViolations(browser)).as("the feed").isEmpty();

      browser.get(base + "/admin.html");
      wait.until(d -> d.findElement(By.name("token")).isDisplayed());
      assertThat(Tools.seriousAccessibilityViolations(browser)).as("the admin page").isEmpty();
    } finally {
      browser.quit();
    }
  }

  private static boolean isPaused(JavascriptExecutor js, int index) {
    return (Boolean) js.executeScript(
        "return document.querySelectorAll('video')[arguments[0]].paused", index);
  }

  @Test
  void anUploadThroughTheAdminPageAppearsInTheOpenFeedAndPlays() throws Exception {
    Path video = dir.resolve("my upload.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(480, 270, 5).withTone(330));
    WebDriver browser = browser("profile-admin");
    try {
      browser.get(base + "/");
      String feed = browser.getWindowHandle();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.until(d -> d.findElements(By.cssSelector("section.channel")).size() >= 2);

      browser.switchTo().newWindow(WindowType.TAB);
      browser.get(base + "/admin.html");
      browser.findElement(By.name("token")).sendKeys(TOKEN);
      browser.findElement(By.name("file")).sendKeys(video.toAbsolutePath().toString());
      browser.findElement(By.name("id")).sendKeys("subido");
      browser.findElement(By.name("title")).sendKeys("Subido desde el navegador");
      new Select(browser.findElement(By.name("profile"))).selectByValue("low");
      browser.findElement(By.cssSelector("form button")).click();
      wait.until(d -> d.findElement(By.id("phase")).getText().equals("Done.")
          || d.findElement(By.id("phase")).getText().equals("Failed."));
      assertThat(browser.findElement(By.id("result")).getText()).isEqualTo("Watch subido");

      browser.switchTo().window(feed);
      wait.until(d -> d.findElements(By.cssSelector("section.channel h2")).stream()
          .anyMatch(h -> h.getText().equals("Subido desde el navegador")));
      JavascriptExecutor js = (JavascriptExecutor) browser;
      js.executeScript("document.querySelector('section[data-id=subido]').scrollIntoView()");
      wait.until(d -> Tools.playingAt(d, "section[data-id=subido] video") > 1.0);
    } finally {
      browser.quit();
    }
  }

  @Test
  void theAdminPageCancelsATranscodeItStarted() throws Exception {
    Path video = dir.resolve("too long.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(640, 360, 20));
    WebDriver browser = browser("profile-cancel");
    try {
      browser.get(base + "/admin.html");
      browser.findElement(By.name("token")).sendKeys(TOKEN);
      browser.findElement(By.name("file")).sendKeys(video.toAbsolutePath().toString());
      browser.findElement(By.name("id")).sendKeys("cancelado");
      new Select(browser.findElement(By.name("profile"))).selectByValue("low");
      browser.findElement(By.cssSelector("form button")).click();
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.until(d -> d.findElement(By.id("phase")).getText().startsWith("Transcoding")
          && d.findElement(By.id("cancel")).isDisplayed());
      browser.findElement(By.id("cancel")).click();

      wait.until(d -> d.findElement(By.id("phase")).getText().equals("Failed."));
      assertThat(browser.findElement(By.id("result")).getText())
          .isEqualTo("Cancelled: nothing was published.");
      assertThat(browser.findElement(By.id("cancel")).isDisplayed()).isFalse();
      HttpResponse<String> channel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(base + "/api/channels/cancelado")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(channel.statusCode()).isEqualTo(404);
    } finally {
      browser.quit();
    }
  }

  @Test
  void aSoundFileUploadedBecomesAnAudioOnlyChannelThatPlays() throws Exception {
    Path song = dir.resolve("song.m4a");
    SampleVideo.write(song, SampleVideo.Spec.soundOnly(5).withCoverArt(320, 320));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/channels?id=radio&title=Radio&profile=medium"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "audio/mp4")
        .POST(HttpRequest.BodyPublishers.ofFile(song)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    ObjectMapper json = new ObjectMapper();
    String job = base + posted.headers().firstValue("Location").orElseThrow();
    JsonNode state = Tools.awaitJobEnd(http, job, Duration.ofSeconds(60));
    assertThat(state.get("state").asText()).as(state.toString()).isEqualTo("done");
    JsonNode radio = null;
    for (JsonNode c : json.readTree(http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/channels")).build(), HttpResponse.BodyHandlers.ofString()).body())) {
      if (c.get("id").asText().equals("radio")) {
        radio = c;
      }
    }
    assertThat(radio).as("radio in /api/channels").isNotNull();
    assertThat(radio.get("poster").isNull()).as("the cover art as poster").isFalse();
    assertThat(radio.get("renditions")).singleElement().satisfies(r -> {
      assertThat(r.get("name").asText()).isEqualTo("audio");
      assertThat(r.has("width")).isFalse();
      assertThat(r.get("codecs")).hasSize(1);
      assertThat(r.get("codecs").get(0).asText()).isEqualTo("mp4a.40.2");
    });

    WebDriver browser = browser("profile-radio");
    try {
      browser.get(base + "/#radio");
      JavascriptExecutor js = (JavascriptExecutor) browser;
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> Tools.playingAt(d, "section[data-id=radio] video") > 1.0);
      // sound without pictures, the cover behind the player
      assertThat(((Number) js.executeScript("return document.querySelector("
          + "'section[data-id=radio] video').videoWidth")).intValue()).isZero();
      WebElement section = browser.findElement(By.cssSelector("section[data-id=radio]"));
      assertThat(section.getAttribute("class")).contains("audio-only");
      assertThat(section.getCssValue("background-image")).contains("poster.jpg");
      screenshot(browser, "feed-audio-only.png");
    } finally {
      browser.quit();
    }
  }

  /** Saves what the browser shows to target/screenshots/, for people to look at. */
  private static void screenshot(WebDriver browser, String name) {
    try {
      Path dirOut = Files.createDirectories(Path.of("target", "screenshots"));
      Files.write(dirOut.resolve(name),
          ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
