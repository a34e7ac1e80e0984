package io.hlskit.demo;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.server.HlsServer;
import io.hlskit.core.store.MediaStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code serve}: the web page, the channel API and the streams of a folder of channels. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the channels in the streams folder (or an S3 bucket) with the web page"
        + " at /. A channel is a folder with a playlist.m3u8 and its segments: what `convert`"
        + " writes, or a plain HLS folder as the ffmpeg CLI writes one.",
        "Several instances on one bucket (--storage s3) serve the same channels.",
        "Every option also reads from the environment variable named in its description."})
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--port", defaultValue = "${env:HLS_PORT:-8080}",
      description = "TCP port (HLS_PORT; default ${DEFAULT-VALUE}); 0 picks a free one")
  int port;

  @Option(names = "--host", defaultValue = "${env:HLS_HOST:-0.0.0.0}",
      description = "address to listen on (HLS_HOST; default ${DEFAULT-VALUE}, every interface)")
  String host;

  @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:HLS_ALLOWED_ORIGINS}",
      description = "comma-separated page origins (https://tv.example.com) that may open the"
          + " chat and read streams and the API from another site, or * for any"
          + " (HLS_ALLOWED_ORIGINS); default: only this server's own pages")
  List<String> allowedOrigins;

  @Option(names = "--trusted-proxies", split = ",", defaultValue = "${env:HLS_TRUSTED_PROXIES}",
      description = "comma-separated addresses or CIDR ranges (172.16.0.0/12) of reverse"
          + " proxies in front of this server, whose X-Forwarded-For names the client for the"
          + " chat's per-address limits (HLS_TRUSTED_PROXIES); default: none, the peer is the"
          + " client")
  List<String> trustedProxies;

  @Mixin
  StorageOptions storageOptions;

  @Option(names = "--s3-refresh-seconds", defaultValue = "${env:HLS_S3_REFRESH_SECONDS:-10}",
      description = "how often the bucket is listed for channels published by other instances"
          + " (HLS_S3_REFRESH_SECONDS; default ${DEFAULT-VALUE})")
  int refreshSeconds;

  @Option(names = "--s3-public-url", defaultValue = "${env:HLS_S3_PUBLIC_URL}",
      description = "public address of the bucket or a CDN in front of it; segments are"
          + " redirected there (HLS_S3_PUBLIC_URL)")
  URI publicUrl;

  @Mixin
  ChatOptions chatOptions;

  @Mixin
  JobOptions jobOptions;

  @Option(names = "--samples", negatable = true, defaultValue = "${env:HLS_SAMPLES:-true}",
      fallbackValue = "true",
      description = "make a few short sample channels when the folder has none (HLS_SAMPLES;"
          + " default ${DEFAULT-VALUE})")
  boolean samples;

  @Mixin
  AuthOptions authOptions;

  @Option(names = "--admin-token", defaultValue = "${env:HLS_ADMIN_TOKEN}",
      description = "the token that uploads and deletes need, sent as Authorization: Bearer"
          + " (HLS_ADMIN_TOKEN); without one, uploads are off")
  String adminToken;

  @Option(names = "--management-port", defaultValue = "${env:HLS_MANAGEMENT_PORT}",
      description = "serve /metrics and the health endpoints alone on this port"
          + " (HLS_MANAGEMENT_PORT); without it, /metrics is on the main port")
  Integer managementPort;

  @Option(names = "--tls-cert", defaultValue = "${env:HLS_TLS_CERT}",
      description = "serve HTTPS, and HTTP/2 to browsers that offer it, with this PEM"
          + " certificate chain (HLS_TLS_CERT; with --tls-key); a renewed file is picked up"
          + " without a restart")
  Path tlsCertificate;

  @Option(names = "--tls-key", defaultValue = "${env:HLS_TLS_KEY}",
      description = "the certificate's unencrypted PEM private key (HLS_TLS_KEY)")
  Path tlsKey;

  @Option(names = "--tls-provider", defaultValue = "${env:HLS_TLS_PROVIDER:-jdk}",
      description = "who does the TLS: jdk, or conscrypt (BoringSSL: handshakes about four times"
          + " cheaper) (HLS_TLS_PROVIDER; default jdk)")
  String tlsProvider;

  @Option(names = "--redirect-http-port", defaultValue = "${env:HLS_REDIRECT_HTTP_PORT}",
      description = "with --tls-cert, also answer plain HTTP on this port with a redirect to"
          + " HTTPS (HLS_REDIRECT_HTTP_PORT)")
  Integer redirectHttpPort;

  @Option(names = "--access-log", negatable = true, defaultValue = "${env:HLS_ACCESS_LOG:-false}",
      fallbackValue = "true",
      description = "log every request in the combined format to the logger io.hlskit.access"
          + " (HLS_ACCESS_LOG; default ${DEFAULT-VALUE})")
  boolean accessLog;

  @Option(names = "--linear-window", defaultValue = "${env:HLS_LINEAR_WINDOW:-6}",
      description = "how many segments a linear channel's live playlists list, 1 to 1000"
          + " (HLS_LINEAR_WINDOW; default ${DEFAULT-VALUE})")
  int linearWindow;

  @Option(names = "--rtmp-port", defaultValue = "${env:HLS_RTMP_PORT}",
      description = "take live streams over RTMP on this port, 1935 as usual (HLS_RTMP_PORT):"
          + " server rtmp://<host>:<port>/live, stream key <channel>?key=<secret> from `live"
          + " <channel>`; without it, no RTMP")
  Integer rtmpPort;

  @Option(names = "--live-grace", defaultValue = "${env:HLS_LIVE_GRACE:-30s}",
      description = "how long a dropped publisher may take to come back and continue the same"
          + " playlists, as 30s, 2m or plain seconds (HLS_LIVE_GRACE; default ${DEFAULT-VALUE})")
  String liveGrace;

  @Option(names = "--max-upload-mb", defaultValue = "${env:HLS_MAX_UPLOAD_MB:-2048}",
      description = "the largest upload taken, in MiB (HLS_MAX_UPLOAD_MB; default"
          + " ${DEFAULT-VALUE})")
  long maxUploadMegabytes;

  @Option(names = "--dev", negatable = true, defaultValue = "${env:HLS_DEV:-false}",
      fallbackValue = "true",
      description = "development: serve the web page from its source folder (--web-dir) with"
          + " caching off, so an edit shows on a browser reload without a rebuild (HLS_DEV;"
          + " default ${DEFAULT-VALUE})")
  boolean dev;

  @Option(names = "--web-dir", defaultValue = "${env:HLS_WEB_DIR:-" + WEB_SOURCE + "}",
      description = "the web page's source folder that --dev serves (HLS_WEB_DIR; default"
          + " ${DEFAULT-VALUE}, as seen from the repository root)")
  Path webDirectory;

  static final String WEB_SOURCE = "demo-app/src/main/resources/io/hlskit/demo/web";

  @Override
  public Integer call() throws Exception {
    if (dev && !Files.isRegularFile(webDirectory.resolve("index.html"))) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--dev serves the web"
          + " page from its source, but " + webDirectory.toAbsolutePath() + " has no"
          + " index.html: run from the repository root or give --web-dir");
    }
    if (refreshSeconds < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--s3-refresh-seconds must be at least 1: " + refreshSeconds);
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "HTTPS needs both"
          + " --tls-cert and --tls-key (HLS_TLS_CERT, HLS_TLS_KEY)");
    }
    HlsServer.TlsProvider provider;
    switch (tlsProvider.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "jdk" -> provider = HlsServer.TlsProvider.JDK;
      case "conscrypt", "boringssl" -> provider = HlsServer.TlsProvider.CONSCRYPT;
      default -> throw new CommandLine.ParameterException(new CommandLine(this),
          "--tls-provider must be jdk or conscrypt (BoringSSL), not '" + tlsProvider + "'");
    }
    if (redirectHttpPort != null && tlsCertificate == null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--redirect-http-port"
          + " redirects to HTTPS: give --tls-cert and --tls-key too");
    }
    DemoServer.Options.Live live = null;
    if (rtmpPort != null) {
      try {
        live = new DemoServer.Options.Live(rtmpPort,
            LiveSettings.parseDuration(liveGrace, "--live-grace"));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
      }
    }
    AccessPolicy access = authOptions.policy(adminToken);
    JobSettings jobs = jobOptions.settings(chatOptions.redis);
    DemoMetrics metrics = new DemoMetrics();
    StorageOptions.Storage storage;
    try {
      storage = storageOptions.open(Duration.ofSeconds(refreshSeconds), publicUrl,
          metrics.registry);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    ChatBroker chat;
    List<AutoCloseable> notices;
    try {
      chat = chatOptions.openBroker(metrics.registry);
      try {
        notices = chatOptions.attachNotices(storage.store().channels());
      } catch (RuntimeException e) {
        chat.close();
        throw e;
      }
    } catch (RuntimeException e) {
      storage.close();
      metrics.close();
      throw e;
    }
    DemoServer demo = DemoServer.start(storage, chat, notices, new DemoServer.Options(host,
        port, adminToken, maxUploadMegabytes * 1024 * 1024, storageOptions.uploadDirectory(),
        storageOptions.workDirectory(), allowedOrigins == null ? List.of() : allowedOrigins,
        trustedProxies == null ? List.of() : trustedProxies, dev ? webDirectory : null,
        access).withManagementPort(managementPort).withAccessLog(accessLog)
        .withLinearWindow(linearWindow)
        .withTls(tlsCertificate == null ? null
            : new DemoServer.Options.Tls(tlsCertificate, tlsKey, redirectHttpPort, provider))
        .withJobs(jobs).withLive(live), metrics);
    if (dev) {
      LOG.info("development mode: the web page comes from {} with caching off",
          webDirectory.toAbsolutePath());
    }
    MediaStore store = demo.store;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      stopped.countDown();
    }, "hlskit-shutdown"));
    int channels = store.channels().list().size();
    LOG.info("{} channel{} in {}; chat in {}; upload jobs in {}", channels,
        channels == 1 ? "" : "s", storage.where(), chatOptions.describe(), jobs.describe());
    if (channels == 0 && samples) {
      Thread maker = new Thread(() -> SampleChannels.createIfEmpty(store),
          "hlskit-samples");
      maker.setDaemon(true);
      maker.start();
    } else if (channels == 0) {
      LOG.info("no channels yet: convert a video (java -jar hlskit-demo.jar convert video.mp4"
          + " canal1 medium) or copy an HLS folder into {}", storage.where());
    }
    LOG.info("access: {}", access);
    if ((adminToken == null || adminToken.isBlank()) && !authOptions.jwt()) {
      LOG.info("uploads are off: start with --admin-token (or HLS_ADMIN_TOKEN) to upload"
          + " videos at /admin.html");
    }
    System.out.println("hlskit demo: open " + (tlsCertificate == null ? "http" : "https")
        + "://localhost:" + demo.server.port()
        + "/ (Ctrl+C stops)");
    stopped.await();
    return 0;
  }
}
