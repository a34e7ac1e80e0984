package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.server.HlsHandlers;
import io.hlskit.server.HlsServer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.webjars.WebJarVersionLocator;

/**
 * A web page and its assets at {@code /}, in one of two modes.
 *
 * <p><b>Packaged</b> (from the classpath): every file is read once at start. Pages ({@code
 * *.html}; {@code /} is {@code index.html}) are revalidated on each load ({@code no-cache}, strong
 * ETag); assets are fingerprinted: pages name them under {@code {{assets}}}, which becomes {@code
 * /assets/<hash of all files>}, and those URLs are cached for a year ({@code immutable}). A new
 * build gives new URLs, so a browser never mixes an old script with a new page.
 *
 * <p><b>Development</b> (from a folder): every request reads the file again and nothing is cached
 * ({@code no-store}), so an edit shows on the next reload without a rebuild.
 *
 * <p>In pages, {@code {{webjar:NAME/PATH}}} becomes the versioned URL of a file in a WebJar on
 * the classpath ({@code /webjars/NAME/VERSION/PATH}), so pages never hard-code a version. Pages
 * get a Content-Security-Policy that allows scripts from this server only (no inline script).
 */
final class StaticSite implements HttpHandler {
  /** Where fingerprinted assets live; pages write {@code {{assets}}/app.js}. */
  public static final String ASSETS = "/assets/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final Pattern TOKEN = Pattern.compile("\\{\\{(assets|webjar:([^}/]+)/([^}]+))}}");
  // scripts only from here (hls.js runs its worker from a blob:); media and fetches may go to a
  // CDN (segments redirected to a store's public URL), so those are left open
  static final String CSP = "script-src 'self'; worker-src 'self' blob:; object-src 'none';"
      + " base-uri 'self'; frame-ancestors 'self'";

  private final Path folder;                   // development mode; null when packaged
  private final Map<String, Served> packaged;  // relative path -> answer; null in development
  private final String version;
  private final WebJarVersionLocator webjars = new WebJarVersionLocator();

  /** A file as it is sent: pages rendered; its strong ETag. */
  private record Served(byte[] body, String etag) {}

  private StaticSite(Path folder, Map<String, byte[]> files, String version) {
    this.folder = folder;
    this.version = version;
    if (files == null) {
      this.packaged = null;
    } else {
      // render and tag everything once: a page naming a missing WebJar fails the start
      Map<String, Served> served = new TreeMap<>();
      files.forEach((name, bytes) -> served.put(name, serve(name, bytes)));
      this.packaged = Map.copyOf(served);
    }
  }

  private Served serve(String path, byte[] raw) {
    byte[] body = !path.endsWith(".html") ? raw
        : render(new String(raw, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    return new Served(body, "\"" + HexFormat.of().formatHex(sha256().digest(body), 0, 10) + "\"");
  }

  /** WebJar files by their versioned path: what they name never changes. */
  private static final HttpHandler WEBJARS = new ResourceHandler(new ClassPathResourceManager(
      StaticSite.class.getClassLoader(), "META-INF/resources/webjars"));

  /** Mounts this site at {@code /} and the WebJars it names at {@code /webjars} on a server. */
  HlsServer.Builder mountOn(HlsServer.Builder server) {
    return server.mount("/webjars", exchange -> {
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, IMMUTABLE)
          .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
      WEBJARS.handleRequest(exchange);
    }).mount("/", this);
  }

  /** The files under {@code prefix} of {@code loader}, read now and fingerprinted. */
  public static StaticSite packaged(ClassLoader loader, String prefix) {
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    URL index = loader.getResource(base + "index.html");
    if (index == null) {
      throw new HlsException("no " + base + "index.html on the classpath: the web page must"
          + " have an index.html under the prefix given to packaged()");
    }
    Map<String, byte[]> files = new TreeMap<>();
    try {
      if (index.getProtocol().equals("file")) {
        Path root = Path.of(index.toURI()).getParent();
        try (Stream<Path> walk = Files.walk(root)) {
          for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
            files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
          }
        }
      } else if (index.openConnection() instanceof JarURLConnection jar) {
        jar.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
          for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
            if (!e.isDirectory() && e.getName().startsWith(base)) {
              try (InputStream in = file.getInputStream(e)) {
                files.put(e.getName().substring(base.length()), in.readAllBytes());
              }
            }
          }
        }
      } else {
        throw new HlsException("cannot list the web page at " + index + " (" + index.getProtocol()
            + " URLs are not supported); give it as a folder with development(Path)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web page at " + index, e);
    } catch (URISyntaxException e) {
      throw new HlsException("cannot read the web page at " + index, e);
    }
    MessageDigest all = sha256();
    files.forEach((name, bytes) -> {
      all.update(name.getBytes(StandardCharsets.UTF_8));
      all.update((byte) 0);
      all.update(bytes);
    });
    return new StaticSite(null, files, HexFormat.of().formatHex(all.digest(), 0, 6));
  }

  /** The files in {@code folder}, read on every request and never cached. */
  public static StaticSite development(Path folder) {
    Path root = folder.toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("index.html"))) {
      throw new HlsException("no index.html in " + root + ": give the folder that holds the web"
          + " page's source");
    }
    return new StaticSite(root, null, "dev");
  }

  /** The fingerprint of the assets, or {@code dev}. */
  public String version() {
    return version;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (folder != null && exchange.isInIoThread()) {
      exchange.dispatch(this); // development reads files: never on the I/O thread
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET)
        && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      HlsHandlers.sendError(exchange, 405, "method_not_allowed", "the web page is read-only");
      return;
    }
    String path = exchange.getRelativePath();
    String cache;
    if (path.startsWith(ASSETS)) {
      int slash = path.indexOf('/', ASSETS.length());
      if (slash < 0) {
        notFound(exchange, path);
        return;
      }
      // a page from before a redeploy may still ask for the old fingerprint: answer with what
      // there is, but do not let it be cached under that name
      cache = folder != null ? "no-store"
          : path.substring(ASSETS.length(), slash).equals(version) ? IMMUTABLE : "no-cache";
      path = path.substring(slash + 1);
    } else {
      path = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
      cache = folder != null ? "no-store" : "no-cache";
    }
    Optional<Served> file = isSafe(path) ? read(path) : Optional.empty();
    if (file.isEmpty()) {
      notFound(exchange, exchange.getRelativePath());
      return;
    }
    byte[] body = file.get().body();
    String etag = file.get().etag();
    if (path.endsWith(".html")) {
      exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, CSP);
      exchange.getResponseHeaders().put(Headers.X_FRAME_OPTIONS, "SAMEORIGIN");
      if (cache.equals(IMMUTABLE)) {
        cache = "no-cache";   // a page's URL never changes: it must be revalidated
      }
    }
    exchange.getResponseHeaders()
        .put(Headers.CONTENT_TYPE, contentType(path))
        .put(Headers.CACHE_CONTROL, cache)
        .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff")
        .put(Headers.ETAG, etag);
    if (!cache.equals("no-store") && HlsHandlers.ifNoneMatch(exchange, etag)) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    if (exchange.getRequestMethod().equals(Methods.HEAD)) {
      exchange.endExchange();
    } else {
      exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
  }

  /** A page with its tokens replaced. */
  String render(String page) {
    Matcher m = TOKEN.matcher(page);
    StringBuilder out = new StringBuilder(page.length() + 64);
    while (m.find()) {
      String url;
      if (m.group(1).equals("assets")) {
        url = "/assets/" + version;
      } else {
        String located = webjars.path(m.group(2), m.group(3));
        if (located == null) {
          throw new HlsException("the page names " + m.group() + " but no WebJar on the"
              + " classpath has it: add the WebJar " + m.group(2) + " as a dependency");
        }
        url = "/webjars/" + located;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(url));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Relative paths of plain names only: no empty or dot segments, no backslashes, no control
   * characters (the request path is already percent-decoded once).
   */
  static boolean isSafe(String path) {
    if (path.isEmpty() || path.length() > 256 || path.startsWith("/") || path.contains("\\")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
          || segment.startsWith(".")) {
        return false;
      }
    }
    return path.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '%');
  }

  private Optional<Served> read(String path) {
    if (packaged != null) {
      return Optional.ofNullable(packaged.get(path));
    }
    Path file = folder.resolve(path).normalize();
    try {
      // the folder itself may be a link; what is read must still be inside its real path
      if (!file.toRealPath().startsWith(folder.toRealPath()) || !Files.isRegularFile(file)) {
        return Optional.empty();
      }
      return Optional.of(serve(path, Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void notFound(HttpServerExchange exchange, String path) {
    HlsHandlers.sendError(exchange, 404, "not_found", "nothing at " + path
        + "; the page is at /, channels at /api/channels");
  }

  static String contentType(String path) {
    String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "json", "map" -> "application/json; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "jpg", "jpeg" -> "image/jpeg";
      case "webp" -> "image/webp";
      case "ico" -> "image/x-icon";
      case "woff2" -> "font/woff2";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  /** Whether gzip is worth it for what {@code path} names. */
  public static boolean isText(String path) {
    return path.equals("/") || path.endsWith(".html") || path.endsWith(".js")
        || path.endsWith(".css") || path.endsWith(".json") || path.endsWith(".svg");
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
