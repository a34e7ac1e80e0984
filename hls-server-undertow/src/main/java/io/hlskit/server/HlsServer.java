package io.hlskit.server;

import io.hlskit.core.HlsException;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.linear.LinearPlaylists;
import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.live.LiveMonitor;
import io.hlskit.core.live.LivePublishing;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.internal.ApiHandler;
import io.hlskit.server.internal.Audience;
import io.hlskit.server.internal.ChatEndpoint;
import io.hlskit.server.internal.ChatStats;
import io.hlskit.server.internal.Cors;
import io.hlskit.server.internal.Gzip;
import io.hlskit.server.internal.Http2Answers;
import io.hlskit.server.internal.HttpMetrics;
import io.hlskit.server.internal.HttpsRedirect;
import io.hlskit.server.internal.PemKeyManager;
import io.hlskit.server.internal.PublishEndpoint;
import io.hlskit.server.internal.RootHandler;
import io.hlskit.server.internal.TcpCork;
import io.hlskit.server.internal.OriginCheck;
import io.hlskit.server.internal.Responses;
import io.hlskit.server.internal.SendDeadline;
import io.hlskit.server.internal.ServerMetrics;
import io.hlskit.server.internal.StreamsHandler;
import io.hlskit.server.internal.TrustedProxies;
import io.hlskit.server.internal.Viewers;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.predicate.Predicates;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.accesslog.AccessLogHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The embeddable HLS server on Undertow: the channels of one {@link MediaStore}, their chat and
 * the REST API, plus any handlers of your own mounted next to them.
 *
 * <pre>{@code
 * HlsServer server = HlsServer.builder()
 *     .mediaStore(FileSystemMediaStore.at(Path.of("streams")))
 *     .mount("/hello", exchange -> exchange.getResponseSender().send("hello"))
 *     .port(0)                       // 0 picks a free port
 *     .build()
 *     .start();
 * System.out.println("http://localhost:" + server.port() + "/");
 * Runtime.getRuntime().addShutdownHook(new Thread(server::close));
 * }</pre>
 *
 * <p>Routes: {@code /streams/{channel}/...} ({@link HlsHandlers#streams}), {@code /api/...}
 * ({@link HlsHandlers#api}), {@code /ws/chat} ({@link HlsHandlers#chat}) and what {@link
 * Builder#mount} adds. Every route gets the same treatment: gzip for text, CORS for the allowed
 * origins, errors as JSON, the timeouts against slow clients, and a graceful shutdown. Who may
 * upload, delete, watch and chat is the {@link AccessPolicy}'s to say ({@link JwtAccessPolicy}
 * for JSON Web Tokens); private channels' segment keys are answered at {@code
 * /api/keys/{channel}/{key}} to whoever the policy lets watch. Linear channels ({@code POST
 * /api/linear}) are served as live streams computed from the clock over their items' segments,
 * the same on every instance ({@link Builder#linearWindow}).
 *
 * <p>Thread-safe; {@link #close} drains requests in flight for up to five seconds, then stops,
 * and may be called any number of times. It closes what the server made itself (the default
 * chat broker), never the store or a broker it was given.
 */
public final class HlsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HlsServer.class);
  private static final List<String> OWN_ROUTES = List.of("/streams", "/api", "/ws/chat");

  /** The largest request head (HTTP/1.1) or header list (HTTP/2) taken, in bytes. */
  private static final int MAX_HEAD = 32 * 1024;
  /**
   * Undertow's buffer size over TLS. An HTTP/2 DATA frame carries one buffer: 16,358 bytes and
   * the frame's 9-byte head fill one TLS record as the JDK cuts them (at most 16,367 bytes of
   * data in TLS 1.3). Undertow's default of 16,364 split every frame into two records, two
   * encryptions and two writes, which cost HTTP/2 a quarter of its segment throughput.
   */
  private static final int TLS_BUFFER_SIZE = 16 * 1024 - 26;

  /** The SLF4J logger that {@link Builder#accessLog} writes to. */
  public static final String ACCESS_LOGGER = "io.hlskit.access";

  private final Builder config;
  private final ChatBroker chat;
  private final boolean ownsChat;
  private Undertow undertow;
  private GracefulShutdownHandler graceful;
  private ChannelCatalog.Registration roomCloser;
  private ServerMetrics metrics;
  private LinearPlaylists linear;
  private StreamsHandler streams;
  private ScheduledExecutorService holds;
  private PublishEndpoint publishes;
  private int port;
  private Undertow redirect;
  private boolean closed;

  private HlsServer(Builder b) {
    this.config = b;
    this.ownsChat = b.chat == null;
    this.chat = ownsChat ? new InMemoryChatBroker() : b.chat;
  }

  /** A builder; {@link Builder#mediaStore} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving.
   *
   * @throws HlsException when the address cannot be bound (port in use), saying which
   */
  public synchronized HlsServer start() {
    if (closed) {
      throw new HlsException("this server was closed; build a new one");
    }
    if (undertow != null) {
      return this;
    }
    // the TLS files first: a wrong one fails the start before anything else is made
    PemKeyManager tls = config.tlsCertificate == null ? null
        : new PemKeyManager(config.tlsCertificate, config.tlsKey,
            config.tlsProvider == TlsProvider.CONSCRYPT);
    MeterRegistry registry = config.meterRegistry;
    ChatStats chatStats = registry == null ? ChatStats.NONE : ChatStats.into(registry);
    Viewers viewers = registry == null ? null : new Viewers(config.viewerWindow.toNanos());
    LinearPlaylists live = LinearPlaylists.of(config.store, config.linearWindow);
    PathHandler routes = Handlers.path()
        .addPrefixPath("/streams", Cors.wrap(config.allowedOrigins, "GET, HEAD",
            Gzip.wrap(streamsHandler(config, live),
                Predicates.suffixes(".m3u8"), Predicates.truePredicate())))
        .addPrefixPath("/api", Cors.wrap(config.allowedOrigins, "GET, HEAD, POST, PUT, DELETE",
            Gzip.wrap(new ApiHandler(new ApiHandler.Settings(config.store, chat, "/streams",
                    config.ingest, config.access, config.maxUploadBytes,
                    config.uploadDirectory,
                    viewers == null ? null : new Audience(viewers, chatStats), live,
                    config.liveMonitor)),
                Predicates.truePredicate(), Predicates.truePredicate())))
        .addExactPath("/ws/chat", new OriginCheck(config.allowedOrigins, Handlers.websocket(
            new ChatEndpoint(chat, config.store.channels(), config.access, config.chatLimits,
                chatStats))));
    if (config.livePublishing != null) {
      publishes = new PublishEndpoint(config.livePublishing, config.access,
          config.publishLimits);
      routes.addExactPath("/ws/publish", new OriginCheck(config.allowedOrigins,
          Handlers.websocket(publishes)));
    } else {
      routes.addExactPath("/ws/publish", exchange -> Responses.error(exchange, 404,
          "no_live_publishing", "this server takes no publishes from browsers; run it with"
          + " live ingest (the demo's serve --rtmp-port) to go live from the page"));
    }
    routes.addPrefixPath("/", exchange -> Responses.error(exchange, 404, "not_found",
        "nothing at " + exchange.getRequestPath() + "; see /api/channels"));
    config.mounts.forEach((prefix, handler) -> routes.addPrefixPath(prefix,
        Cors.wrap(config.allowedOrigins, "GET, HEAD, POST, PUT, DELETE",
            Gzip.wrap(handler, Predicates.truePredicate(), Gzip::textResponse))));
    HttpMetrics http = registry == null ? null : new HttpMetrics(registry,
        config.store.channels(), viewers, !config.trustedProxies.isEmpty());
    HttpHandler root = new RootHandler(routes, http);
    if (tls != null) { // HTTP/2 comes only with TLS
      root = new Http2Answers(root);
    }
    if (config.accessLog) {
      // combined format, one line per request, to the SLF4J logger io.hlskit.access
      Logger accessLog = LoggerFactory.getLogger(ACCESS_LOGGER);
      root = new AccessLogHandler(root, accessLog::info, "combined",
          HlsServer.class.getClassLoader());
    }
    if (!config.trustedProxies.isEmpty()) { // without proxies it would only pass requests on
      root = new TrustedProxies(config.trustedProxies, root);
    }
    graceful = Handlers.gracefulShutdown(root);
    int idleMs = (int) Math.min(Integer.MAX_VALUE, config.idleTimeout.toMillis());
    Undertow.Builder ub = Undertow.builder();
    if (tls != null) {
      // HTTP/2 where the client offers it (ALPN), HTTP/1.1 otherwise; with HTTP/2's own
      // bounds: streams at once per connection, and the header list (Undertow keeps it to
      // 20,000 bytes at most, and caps RST_STREAM per window against rapid reset)
      ub.setBufferSize(TLS_BUFFER_SIZE)
          .addHttpsListener(config.port, config.host, tls.sslContext())
          .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
          .setServerOption(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
              Http2Answers.MAX_STREAMS)
          .setServerOption(UndertowOptions.HTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEAD);
    } else {
      ub.addHttpListener(config.port, config.host);
    }
    Undertow u = ub
        // slow clients cannot hold the server: a request's head must arrive in time, an idle
        // keep-alive connection is closed, and a client that stops reading (or sending an
        // upload) is cut off once no byte has moved for the idle timeout; chat clients answer
        // the server's pings every 20 s, so a live WebSocket is never idle that long
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT,
            (int) Math.min(Integer.MAX_VALUE, config.headerTimeout.toMillis()))
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleMs)
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEAD)
        .setSocketOption(Options.READ_TIMEOUT, idleMs)
        .setSocketOption(Options.WRITE_TIMEOUT, idleMs)
        .setHandler(graceful)
        .build();
    try {
      u.start();
    } catch (RuntimeException e) {
      live.close();
      throw new HlsException("cannot listen on " + config.host + ":" + config.port + " ("
          + e.getMessage() + "); is another server using the port? Choose another with port()",
          e);
    }
    port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
    if (config.redirectHttpPort >= 0) {
      try {
        redirect = HttpsRedirect.listen(config.host, config.redirectHttpPort, port,
            config.headerTimeout);
      } catch (HlsException e) {
        u.stop();
        live.close();
        throw e;
      }
    }
    undertow = u;
    linear = live;
    if (config.tcpCork && tls == null) { // encrypted answers cannot use sendfile anyway
      TcpCork.logAvailability();
    }
    if (registry != null) {
      // the rows follow the viewers at least twice per window
      metrics = new ServerMetrics(registry, config.store.channels(), viewers, chatStats,
          Math.max(100, Math.min(5000, config.viewerWindow.toMillis() / 2)), http::drain);
      ServerMetrics.bindWorker(registry, u.getWorker());
    }
    // a deleted channel's chat goes with it: history purged, its clients told and closed
    roomCloser = config.store.channels().addListener(event -> {
      if (event.type() == ChannelEvent.Type.REMOVED) {
        CompletableFuture.runAsync(() -> chat.closeRoom(event.channelId()))
            .exceptionally(e -> {
              LOG.warn("could not close the chat of deleted channel {}: {}", event.channelId(),
                  e.getMessage());
              return null;
            });
      }
    });
    LOG.info("hlskit serving on {}://{}:{}/", config.tlsCertificate != null ? "https" : "http",
        config.host, port);
    return this;
  }

  /**
   * The port of the plain-HTTP listener that answers 308 to HTTPS ({@link
   * Builder#redirectHttpPort}); the chosen one when given 0.
   *
   * @throws IllegalStateException when not started or built without one
   */
  public synchronized int redirectPort() {
    if (redirect == null) {
      throw new IllegalStateException(undertow == null ? "the server is not started"
          : "the server has no redirect port; see Builder.redirectHttpPort");
    }
    return ((InetSocketAddress) redirect.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The port the server listens on; the chosen one when it was built with port 0. */
  public synchronized int port() {
    if (undertow == null) {
      throw new IllegalStateException("the server is not started");
    }
    return port;
  }

  /** The chat broker the server uses. */
  public ChatBroker chatBroker() {
    return chat;
  }

  private StreamsHandler streamsHandler(Builder config, LinearPlaylists live) {
    holds = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hlskit-live-holds");
      t.setDaemon(true);
      return t;
    });
    streams = new StreamsHandler(config.store, config.access, config.sendDeadline, live,
        config.tcpCork, config.liveEdge, holds);
    return streams;
  }

  /** How many Low-Latency HLS requests wait for their part now. */
  public int heldLiveRequests() {
    return streams == null ? 0 : streams.held();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (roomCloser != null) {
      roomCloser.close();
    }
    if (linear != null) {
      linear.close();
    }
    if (streams != null) {
      streams.close(); // held live requests answered now, not after the graceful wait
    }
    if (holds != null) {
      holds.shutdownNow();
    }
    if (publishes != null) {
      publishes.close();
    }
    if (undertow != null) {
      graceful.shutdown();
      try {
        if (!graceful.awaitShutdown(5000)) {
          LOG.warn("requests still running 5 s after shutdown began; stopping anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      undertow.stop();
      undertow = null;
    }
    if (redirect != null) {
      redirect.stop();
      redirect = null;
    }
    if (metrics != null) { // after the last request, which it records
      metrics.close();
    }
    if (ownsChat) {
      chat.close();
    }
  }

  /** Builds an {@link HlsServer}; not thread-safe. */
  /** Who does the server's TLS; see {@link Builder#tlsProvider}. */
  public enum TlsProvider {
    /** The JDK's own TLS (SunJSSE). */
    JDK,
    /** BoringSSL through Conscrypt ({@code org.conscrypt:conscrypt-openjdk-uber}). */
    CONSCRYPT
  }

  public static final class Builder {
    private MediaStore store;
    private ChatBroker chat;
    private AccessPolicy access = AccessPolicy.readOnly();
    private final Map<String, HttpHandler> mounts = new LinkedHashMap<>();
    private String host = "0.0.0.0";
    private int port = 8080;
    private List<String> allowedOrigins = List.of();
    private ChatLimits chatLimits = ChatLimits.DEFAULTS;
    private SendDeadline sendDeadline = SendDeadline.DEFAULT;
    private boolean tcpCork = true;
    private Path tlsCertificate;
    private Path tlsKey;
    private TlsProvider tlsProvider = TlsProvider.JDK;
    private int redirectHttpPort = -1;
    private Set<String> trustedProxies = Set.of();
    private IngestService ingest;
    private long maxUploadBytes = 2L * 1024 * 1024 * 1024;
    private Path uploadDirectory = Path.of(System.getProperty("java.io.tmpdir"), "hlskit-uploads");
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private MeterRegistry meterRegistry;
    private Duration viewerWindow = Duration.ofSeconds(30);
    private boolean accessLog;
    private int linearWindow = LinearTimeline.DEFAULT_WINDOW;
    private LiveMonitor liveMonitor = LiveMonitor.NONE;
    private LivePublishing livePublishing;
    private PublishEndpoint.Limits publishLimits = PublishEndpoint.Limits.DEFAULT;
    private LiveEdge liveEdge = LiveEdge.inProcess();

    private Builder() {}

    /**
     * The channels to serve and list (required): those of {@code store} and its {@link
     * MediaStore#channels() channel list}. The server does not close it.
     */
    public Builder mediaStore(MediaStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Who may upload, delete, watch and chat; {@link AccessPolicy#readOnly()} (anyone watches
     * and chats in public channels, nobody writes) by default; {@link JwtAccessPolicy} for
     * JSON Web Tokens.
     */
    public Builder access(AccessPolicy access) {
      this.access = Objects.requireNonNull(access, "access");
      return this;
    }

    /**
     * Uploads, deletes and private channels with one bearer token (compared in constant time),
     * anyone watching and chatting in public channels: {@code
     * access(AccessPolicy.adminToken(adminToken))}. A null or blank token turns uploads and
     * deletes off.
     */
    public Builder adminToken(String adminToken) {
      return access(AccessPolicy.adminToken(adminToken));
    }

    /**
     * Serves {@code handler} at every path below {@code prefix} ({@code "/"} for everything the
     * server's own routes leave), with the server's gzip (for text responses), CORS, JSON errors
     * for what it throws, timeouts and graceful shutdown. The handler reads the path below the
     * prefix from {@code exchange.getRelativePath()}. Mounting again at a prefix replaces the
     * earlier handler.
     *
     * @throws IllegalArgumentException when {@code prefix} does not start with {@code /} or is
     *     one of the server's own routes ({@code /streams}, {@code /api}, {@code /ws/chat})
     */
    public Builder mount(String prefix, HttpHandler handler) {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(handler, "handler");
      String p = prefix.length() > 1 && prefix.endsWith("/")
          ? prefix.substring(0, prefix.length() - 1) : prefix;
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("prefix must start with '/': " + prefix);
      }
      for (String own : OWN_ROUTES) {
        if (p.equals(own) || p.startsWith(own + "/")) {
          throw new IllegalArgumentException("prefix " + prefix + " is the server's own route "
              + own + "; mount elsewhere");
        }
      }
      mounts.put(p, handler);
      return this;
    }

    /** The chat broker; an {@link InMemoryChatBroker} owned by the server when not given. */
    public Builder chatBroker(ChatBroker chat) {
      this.chat = Objects.requireNonNull(chat, "chat");
      return this;
    }

    /** The address to bind, {@code 0.0.0.0} (every interface) by default. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, 8080 by default; 0 picks a free one, see {@link HlsServer#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * What the live ingest of this instance knows ({@code LiveIngest} in hls-transcode is one),
     * for {@code /api/live}: where publishers send RTMP, and how their broadcasts go. Without
     * one, live channels are still created, listed and served; the API then names no RTMP
     * address. The server does not close it.
     */
    /**
     * Where a browser's camera goes live: {@code /ws/publish?channel=<id>} takes the chunks of
     * its {@code MediaRecorder} (WebM or MP4) into this live ingest ({@code LiveIngest} in
     * hls-transcode is one), with the channel's stream key or a token the access policy lets
     * publish. Without one, {@code /ws/publish} answers that this server takes no browser
     * publishes. The server does not close it.
     */
    public Builder livePublishing(LivePublishing publishing) {
      this.livePublishing = Objects.requireNonNull(publishing, "publishing");
      return this;
    }

    /**
     * What a browser's publish may send: WebSocket frames of at most {@code maxFrameBytes} (4 MB
     * by default; a larger one closes the connection with 1009) and {@code maxBitsPerSecond}
     * on average over five seconds (12 Mb/s by default; above it the sender is cut off with
     * 4413). Pictures larger than the channel's ladder are scaled to it by the pipeline.
     */
    public Builder publishLimits(int maxFrameBytes, long maxBitsPerSecond) {
      if (maxFrameBytes < 1024 || maxBitsPerSecond < 64_000) {
        throw new IllegalArgumentException("publish limits must allow 1 KB frames and 64 kb/s"
            + " at least: " + maxFrameBytes + " bytes, " + maxBitsPerSecond + " b/s");
      }
      this.publishLimits = new PublishEndpoint.Limits(maxFrameBytes, maxBitsPerSecond);
      return this;
    }

    public Builder liveMonitor(LiveMonitor monitor) {
      this.liveMonitor = Objects.requireNonNull(monitor, "monitor");
      return this;
    }

    /**
     * Where live playlists announce their new parts: the {@link LiveEdge} the live ingest
     * announces on ({@link LiveEdge#inProcess()} shared with a {@code LiveIngest} in the same
     * JVM; a backend such as hls-chat-redis's across instances). Low-Latency HLS requests
     * ({@code _HLS_msn}, {@code _HLS_part}, preload hints) wait on it for their part; without
     * the publisher's announcements they wait three target durations and are answered 503.
     */
    public Builder liveEdge(LiveEdge edge) {
      this.liveEdge = Objects.requireNonNull(edge, "edge");
      return this;
    }

    /**
     * Where uploads go to be transcoded; without one, uploads answer 503. The server does not
     * close it.
     */
    public Builder ingest(IngestService ingest) {
      this.ingest = Objects.requireNonNull(ingest, "ingest");
      return this;
    }

    /**
     * How long a client may take to send a request's line and headers (default 10 s); slower
     * ones (slowloris) are disconnected.
     */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = positive(timeout, "headerTimeout");
      return this;
    }

    /**
     * How long a connection may go without a byte moving (default 60 s): an idle keep-alive
     * connection, a client that stops reading a segment, an upload that stops arriving. Keep it
     * above the chat's 20 s ping interval.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }

    /** The largest upload taken, 2 GiB by default; larger ones get 413. */
    public Builder maxUploadBytes(long maxUploadBytes) {
      if (maxUploadBytes < 1) {
        throw new IllegalArgumentException("the upload limit must be positive");
      }
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /** Where uploads are streamed before they are handed over; the temp folder by default. */
    public Builder uploadDirectory(Path uploadDirectory) {
      this.uploadDirectory = Objects.requireNonNull(uploadDirectory, "uploadDirectory");
      return this;
    }

    /**
     * The page origins (such as {@code https://tv.example.com}) allowed to open the chat
     * WebSocket and to read streams and the API across origins (CORS, exposing {@code
     * Content-Length} and {@code Content-Range}); {@code *} allows every origin. By default only
     * pages this server serves itself.
     */
    public Builder allowedOrigins(List<String> origins) {
      this.allowedOrigins = List.copyOf(origins);
      return this;
    }

    /**
     * The slowest reader of {@code /streams} served: an answer must be sent within {@code grace}
     * plus its length at {@code minBytesPerSecond}, or the client is cut off (default 16 KiB/s
     * after 15 s). Readers that stop altogether are cut off by the idle timeout before that.
     */
    public Builder slowestReader(long minBytesPerSecond, Duration grace) {
      this.sendDeadline = new SendDeadline(minBytesPerSecond, Objects.requireNonNull(grace,
          "grace"));
      return this;
    }

    /**
     * Serves HTTPS on {@link #port} instead of HTTP, with HTTP/2 for clients that offer it
     * (ALPN) and HTTP/1.1 for the rest. Both are PEM files: the certificate followed by its
     * chain, and the unencrypted private key (PKCS#8, PKCS#1 or SEC1), as certbot writes them.
     * Either file replaced on disk is read again within a second or so, without a restart; a
     * replacement that cannot be used is logged and the previous certificate stays.
     * {@link #start} fails, saying which file is wrong, when they cannot be used.
     */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.tlsCertificate = Objects.requireNonNull(certificateChain, "certificateChain");
      this.tlsKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Who does the TLS of {@link #tls}: the JDK ({@link TlsProvider#JDK}, the default) or
     * BoringSSL through Conscrypt ({@link TlsProvider#CONSCRYPT}, with {@code
     * org.conscrypt:conscrypt-openjdk-uber} on the classpath), whose handshakes cost a fraction
     * of the JDK's: 128 clients connecting at once get their first byte about three times sooner
     * (see the benchmarks' README).
     */
    public Builder tlsProvider(TlsProvider provider) {
      this.tlsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * With {@link #tls}, also listens for plain HTTP on {@code port} (0 picks a free one) and
     * answers every request there with a 308 to the same URL on HTTPS.
     */
    public Builder redirectHttpPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be within 0..65535: " + port);
      }
      this.redirectHttpPort = port;
      return this;
    }

    /**
     * Whether segments of 1 MiB or more sent from local files go out corked ({@code TCP_CORK}:
     * the head and the file in full packets, as nginx's {@code tcp_nopush}); on by default. It takes effect on
     * Linux when the JVM runs with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED};
     * without it, the server says so once at start and sends as it otherwise would.
     */
    public Builder tcpCork(boolean cork) {
      this.tcpCork = cork;
      return this;
    }

    /**
     * What one chat client, address and room may do (default {@link ChatLimits#DEFAULTS}).
     */
    public Builder chatLimits(ChatLimits limits) {
      this.chatLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The reverse proxies in front of this server, as IP addresses or CIDR ranges ({@code
     * 172.16.0.0/12}): from them, and only from them, the client's address is taken from {@code
     * X-Forwarded-For} (for the chat's per-address limits and for access policies). None by
     * default: every client is the peer of its connection.
     *
     * @throws IllegalArgumentException naming an entry that is neither an address nor a range
     */
    public Builder trustedProxies(Set<String> addresses) {
      new TrustedProxies(addresses, exchange -> { }); // checked now, not at start
      this.trustedProxies = Set.copyOf(addresses);
      return this;
    }

    /**
     * Records what the server does into {@code registry} (Micrometer): {@code
     * hlskit_http_requests_seconds} and {@code hlskit_http_sent_bytes_total} by kind (segment,
     * playlist, key, api, chat, page) and status, {@code hlskit_channel_viewers} and {@code
     * hlskit_chat_sessions} per channel (the 200 largest, the rest as {@code other}), {@code
     * hlskit_chat_messages_total} by result, {@code hlskit_channels}, and Undertow's worker
     * pool; channel objects in the API then carry {@code viewers}. Without a registry (the
     * default) nothing is recorded and nothing costs. Serving the registry (a Prometheus scrape)
     * is the application's: {@link #mount} a handler for it.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * How long a player counts as a viewer of a channel after its last playlist or segment
     * request; 30 s by default. Players are told apart by the {@code session} query parameter
     * or the {@code hlskit_session} cookie, else by address and user agent.
     */
    public Builder viewerWindow(Duration window) {
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("the viewer window must be positive: " + window);
      }
      this.viewerWindow = window;
      return this;
    }

    /**
     * Writes one line per request in the combined log format to the SLF4J logger {@value
     * #ACCESS_LOGGER} (off by default); behind trusted proxies, with the client's address.
     */
    public Builder accessLog(boolean on) {
      this.accessLog = on;
      return this;
    }

    /**
     * How many segments a linear channel's media playlists list (1 to 1000; six by default): a
     * longer window lets players start further behind the live edge and ride out longer
     * stalls, at the cost of larger playlists.
     */
    public Builder linearWindow(int segments) {
      if (segments < 1 || segments > 1000) {
        throw new IllegalArgumentException("the linear window must be 1 to 1000 segments: "
            + segments);
      }
      this.linearWindow = segments;
      return this;
    }

    /**
     * The server, configured as this builder is now; later changes to the builder do not reach
     * it.
     *
     * @throws IllegalStateException when no {@link #mediaStore} was given
     */
    public HlsServer build() {
      if (store == null) {
        throw new IllegalStateException("an HlsServer needs a mediaStore(store)");
      }
      if (redirectHttpPort >= 0 && tlsCertificate == null) {
        throw new IllegalStateException("a redirectHttpPort redirects to HTTPS: give tls(cert,"
            + " key) too");
      }
      return new HlsServer(copy());
    }

    private Builder copy() {
      Builder c = new Builder();
      c.store = store;
      c.chat = chat;
      c.access = access;
      c.mounts.putAll(mounts);
      c.host = host;
      c.port = port;
      c.allowedOrigins = allowedOrigins;
      c.chatLimits = chatLimits;
      c.sendDeadline = sendDeadline;
      c.tcpCork = tcpCork;
      c.tlsCertificate = tlsCertificate;
      c.tlsKey = tlsKey;
      c.tlsProvider = tlsProvider;
      c.redirectHttpPort = redirectHttpPort;
      c.trustedProxies = trustedProxies;
      c.ingest = ingest;
      c.maxUploadBytes = maxUploadBytes;
      c.uploadDirectory = uploadDirectory;
      c.headerTimeout = headerTimeout;
      c.idleTimeout = idleTimeout;
      c.meterRegistry = meterRegistry;
      c.viewerWindow = viewerWindow;
      c.accessLog = accessLog;
      c.linearWindow = linearWindow;
      c.liveMonitor = liveMonitor;
      c.liveEdge = liveEdge;
      c.livePublishing = livePublishing;
      c.publishLimits = publishLimits;
      return c;
    }
  }
}
