package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.HlsException;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.server.HlsServer;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web page at {@code /}: fingerprinted when packaged, live from a folder in development. */
class StaticSiteTest {
  private static final String PREFIX = "io/hlskit/demo/site";
  private static final Pattern ASSET = Pattern.compile("/assets/([0-9a-f]{12})/site\\.css");

  private final HttpClient http = HttpClient.newHttpClient();
  private final InMemoryMediaStore store = new InMemoryMediaStore();
  private HlsServer server;

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private HlsServer packaged() {
    return server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .mount("/", StaticSite.packaged(getClass().getClassLoader(), PREFIX)).build().start();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void packagedPagesAreRevalidatedAndTheirAssetsFingerprintedForGood() throws Exception {
    packaged();
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.body()).doesNotContain("{{");
    Matcher m = ASSET.matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    String version = m.group(1);
    assertThat(page.body()).contains("/assets/" + version + "/js/main.js");

    HttpResponse<String> css = get(m.group());
    assertThat(css.body()).isEqualTo("body { color: #123456; }\n");
    assertThat(css.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    assertThat(css.headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
    // a module's relative import lands under the same fingerprint
    assertThat(get("/assets/" + version + "/js/greet.js").headers()
        .firstValue("Content-Type")).contains("text/javascript; charset=utf-8");

    // revalidation
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertThat(get("/", "If-None-Match", etag).statusCode()).isEqualTo(304);
    assertThat(get("/index.html").body()).isEqualTo(page.body());
    // a page from before a redeploy asks for an old fingerprint: served, but not kept
    HttpResponse<String> old = get("/assets/000000000000/site.css");
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.headers().firstValue("Cache-Control")).contains("no-cache");
    // gzip for text
    HttpResponse<String> gz = get(m.group(), "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).contains("gzip");
  }

  @Test
  void theFingerprintFollowsTheContents() throws Exception {
    assertThat(version(site("a {}"))).hasSize(12)
        .isEqualTo(version(site("a {}")))
        .isNotEqualTo(version(site("b {}")));
  }

  private Path site(String css) throws Exception {
    Path root = Files.createTempDirectory(dir, "cp");
    Files.createDirectories(root.resolve("web"));
    Files.writeString(root.resolve("web/index.html"), "<p>");
    Files.writeString(root.resolve("web/site.css"), css);
    return root;
  }

  private static String version(Path classpathRoot) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {classpathRoot.toUri().toURL()}, null)) {
      return StaticSite.packaged(loader, "web").version();
    }
  }

  @Test
  void developmentServesEachEditAtOnceAndCachesNothing() throws Exception {
    Path web = dir.resolve("web");
    Files.createDirectories(web.resolve("js"));
    Files.writeString(web.resolve("index.html"), "<link href=\"{{assets}}/site.css\">v1");
    Files.writeString(web.resolve("site.css"), "a {}");
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .mount("/", StaticSite.development(web)).build().start();

    HttpResponse<String> page = get("/");
    assertThat(page.body()).isEqualTo("<link href=\"/assets/dev/site.css\">v1");
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(get("/assets/dev/site.css").headers().firstValue("Cache-Control"))
        .contains("no-store");

    Files.writeString(web.resolve("index.html"), "v2");
    Files.writeString(web.resolve("site.css"), "b {}");
    assertThat(get("/").body()).isEqualTo("v2");
    assertThat(get("/assets/dev/site.css").body()).isEqualTo("b {}");
    Files.writeString(web.resolve("js/new.js"), "export {}");
    assertThat(get("/assets/dev/js/new.js").statusCode()).isEqualTo(200);

    // nothing outside the folder, however it is asked for
    Files.writeString(dir.resolve("secret.txt"), "secret");
    for (String path : List.of("/../secret.txt", "/assets/dev/../../secret.txt",
        "/assets/dev/%2e%2e/secret.txt", "/assets/dev/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
        "/assets/dev/..%5csecret.txt", "/assets/dev/%252e%252e/secret.txt",
        "/.hidden", "/assets/dev/js/%00.js", "/assets/dev/%c0%ae%c0%ae/secret.txt")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("secret\n").isNotEqualTo("secret");
    }
    Files.createSymbolicLink(web.resolve("link.txt"), dir.resolve("secret.txt"));
    assertThat(get("/link.txt").statusCode()).as("a link out of the folder").isEqualTo(404);
  }

  @Test
  void mistakesAreNamed() throws Exception {
    assertThatThrownBy(() -> StaticSite.packaged(getClass().getClassLoader(),
        "no/such/site")).isInstanceOf(HlsException.class)
        .hasMessageContaining("no/such/site/index.html");
    assertThatThrownBy(() -> StaticSite.development(dir))
        .isInstanceOf(HlsException.class).hasMessageContaining("no index.html in");
    // a packaged page naming a WebJar that is not there fails the start, not a visitor
    Path root = site("a {}");
    Files.writeString(root.resolve("web/broken.html"), "<p>{{webjar:no-such-webjar/x.js}}");
    assertThatThrownBy(() -> version(root)).isInstanceOf(HlsException.class)
        .hasMessageContaining("no WebJar on the classpath has it: add the WebJar no-such-webjar");
    // in development the page is read per request: that request gets the error
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .mount("/", StaticSite.development(root.resolve("web"))).build().start();
    assertThat(get("/broken.html").statusCode()).isEqualTo(500);
    assertThat(get("/nope.js").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
