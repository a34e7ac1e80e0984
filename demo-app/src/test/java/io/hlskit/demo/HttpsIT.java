package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.server.testing.TestCertificates;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo over HTTPS with HTTP/2, on a self-signed certificate made here: real headless
 * Chromium, trusting that certificate alone, plays a channel with every request on HTTP/2,
 * chats over a secure WebSocket, and lands on HTTPS from the plain-HTTP redirect port.
 */
class HttpsIT {
  @TempDir
  static Path dir;

  static DemoServer demo;
  static String base;
  static String spki;

  @BeforeAll
  static void serveOverHttps() throws Exception {
    Tools.requireBrowser();
    TestCertificates.Pem pem = TestCertificates.write(dir.resolve("cert.pem"),
        dir.resolve("key.pem"), "hlskit test");
    spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(pem.x509().getPublicKey().getEncoded()));
    Path streams = dir.resolve("streams");
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    demo = DemoServer.start(new StorageOptions.Storage(store, streams.toString()),
        new DemoServer.Options("127.0.0.1", 0, null, 50_000_000, dir.resolve("uploads"),
            dir.resolve("work"), List.of(), List.of(), null)
            // BoringSSL's TLS (Conscrypt) here; the JDK's is read by TlsTest alike
            .withTls(new DemoServer.Options.Tls(pem.certificate(), pem.key(), 0,
                io.hlskit.server.HlsServer.TlsProvider.CONSCRYPT)));
    base = "https://127.0.0.1:" + demo.server.port();
    Path video = dir.resolve("tls.mp4");
    SampleVideo.write(video, SampleVideo.Spec.mp4(320, 180, 6));
    Transcoder.create().transcode(TranscodeRequest.builder(video, "segura").title("Segura")
        .profile(Profile.LOW).segmentDuration(Duration.ofSeconds(2)).build(), demo.store,
        ProgressListener.none());
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  private static WebDriver browser(String profile) {
    // trusts the test's certificate by its key, as a pinned certificate: nothing else changes
    return Tools.browser(dir.resolve(profile), "--ignore-certificate-errors-spki-list=" + spki);
  }

  @Test
  void chromiumPlaysOverHttp2AndChatsOverASecureWebSocket() {
    WebDriver browser = browser("profile-h2");
    try {
      browser.get(base + "/");
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      JavascriptExecutor js = (JavascriptExecutor) browser;
      wait.until(d -> Tools.playingAt(d, "video") > 1.0);
      @SuppressWarnings("unchecked")
      List<String> protocols = (List<String>) js.executeScript("return performance"
          + ".getEntriesByType('resource').filter(e => e.name.includes('/streams/'))"
          + ".map(e => e.nextHopProtocol)");
      assertThat(protocols).as("playlists and segments fetched").hasSizeGreaterThanOrEqualTo(3)
          .containsOnly("h2");
      assertThat(js.executeScript("return performance.getEntriesByType('navigation')[0]"
          + ".nextHopProtocol")).isEqualTo("h2");

      Tools.joinChat(browser, "ana");
      browser.findElement(By.cssSelector(".chat-panel form.say input"))
          .sendKeys("hola por wss", Keys.ENTER);
      wait.until(d -> d.findElements(By.cssSelector(".messages li")).stream()
          .anyMatch(li -> li.getText().equals("ana hola por wss")));
    } finally {
      browser.quit();
    }
  }

  @Test
  void thePlainHttpPortLeadsToTheHttpsPage() {
    WebDriver browser = browser("profile-redirect");
    try {
      browser.get("http://127.0.0.1:" + demo.server.redirectPort() + "/");
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(
          By.cssSelector("section.channel")).isEmpty());
      assertThat(browser.getCurrentUrl()).isEqualTo(base + "/");
    } finally {
      browser.quit();
    }
  }
}
