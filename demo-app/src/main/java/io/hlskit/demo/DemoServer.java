package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsHandlers;
import io.hlskit.server.HlsServer;
import io.hlskit.transcode.LiveIngest;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The demo's assembly: a store of channels (a folder or a bucket) and the server
 * with the web page. One place for the wiring, used by {@code serve} and by the end-to-end tests.
 */
final class DemoServer implements AutoCloseable {
  final StorageOptions.Storage storage;
  final MediaStore store;
  final ChatBroker chat;
  final IngestService ingest;
  final HlsServer server;
  final DemoMetrics metrics;
  /** The RTMP ingest of live channels; null when it is off. */
  final LiveIngest live;
  /** Where /metrics and health live alone; 0 when they are on the main port. */
  final int managementPort;
  private final List<AutoCloseable> extras;

  private DemoServer(StorageOptions.Storage storage, ChatBroker chat, IngestService ingest,
      HlsServer server, LiveIngest live, DemoMetrics metrics, int managementPort,
      List<AutoCloseable> extras) {
    this.live = live;
    this.metrics = metrics;
    this.managementPort = managementPort;
    this.storage = storage;
    this.store = storage.store();
    this.chat = chat;
    this.ingest = ingest;
    this.server = server;
    this.extras = extras;
  }

  /**
   * What the demo is started with besides its storage.
   *
   * @param uploadDirectory where uploads are spooled before they are transcoded
   * @param workDirectory where transcodes write segments before they go into the store
   * @param allowedOrigins other sites' pages allowed to use the server (CORS, the chat)
   * @param trustedProxies reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For
   *     names the client
   * @param webDirectory the web page's source folder, served uncached (development); null for
   *     the page packaged in the jar
   * @param access who may watch, chat and upload; null for {@code adminToken} alone
   * @param managementPort where {@code /metrics} and health live alone (0: any free port);
   *     null serves {@code /metrics} on the main port
   * @param accessLog whether each request is logged (combined format, logger io.hlskit.access)
   * @param linearWindow how many segments linear channels' media playlists list
   * @param tls HTTPS, or null for plain HTTP
   * @param jobs where upload jobs wait and whether this instance works them
   * @param live the RTMP ingest of live channels, or null for none
   */
  record Options(String host, int port, String adminToken, long maxUploadBytes,
      Path uploadDirectory, Path workDirectory, List<String> allowedOrigins,
      List<String> trustedProxies, Path webDirectory, AccessPolicy access,
      Integer managementPort, boolean accessLog, int linearWindow, Tls tls, JobSettings jobs,
      Live live) {

    /** RTMP ingest: its port (0 picks one) and how long a dropped publisher may take to return. */
    record Live(int rtmpPort, java.time.Duration grace) {}

    /** HTTPS: PEM certificate chain and key, and the plain-HTTP port that redirects, or null. */
    record Tls(Path certificate, Path key, Integer redirectHttpPort,
        HlsServer.TlsProvider provider) {
      Tls(Path certificate, Path key, Integer redirectHttpPort) {
        this(certificate, key, redirectHttpPort, HlsServer.TlsProvider.JDK);
      }
    }

    /** Options with {@code adminToken} as the only credential. */
    Options(String host, int port, String adminToken, long maxUploadBytes,
        Path uploadDirectory, Path workDirectory, List<String> allowedOrigins,
        List<String> trustedProxies, Path webDirectory) {
      this(host, port, adminToken, maxUploadBytes, uploadDirectory, workDirectory,
          allowedOrigins, trustedProxies, webDirectory, null);
    }

    /** Options with {@code /metrics} on the main port and no access log. */
    Options(String host, int port, String adminToken, long maxUploadBytes,
        Path uploadDirectory, Path workDirectory, List<String> allowedOrigins,
        List<String> trustedProxies, Path webDirectory, AccessPolicy access) {
      this(host, port, adminToken, maxUploadBytes, uploadDirectory, workDirectory,
          allowedOrigins, trustedProxies, webDirectory, access, null, false,
          LinearTimeline.DEFAULT_WINDOW, null, JobSettings.MEMORY, null);
    }

    /** These options with {@code /metrics} and health on a port of their own. */
    Options withManagementPort(Integer managementPort) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, linearWindow, tls, jobs, live);
    }

    /** These options with the access log on or off. */
    Options withAccessLog(boolean accessLog) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, linearWindow, tls, jobs, live);
    }

    /** These options with linear channels' playlists listing {@code segments} each. */
    Options withLinearWindow(int segments) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, segments, tls, jobs, live);
    }

    /** These options serving HTTPS (and HTTP/2) with {@code tls}; null for plain HTTP. */
    Options withTls(Tls tls) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, linearWindow, tls, jobs, live);
    }

    /** These options taking live streams over RTMP as {@code live} says; null for none. */
    Options withLive(Live live) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, linearWindow, tls, jobs, live);
    }

    /** These options with upload jobs kept and worked as {@code jobs} says. */
    Options withJobs(JobSettings jobs) {
      return new Options(host, port, adminToken, maxUploadBytes, uploadDirectory,
          workDirectory, allowedOrigins, trustedProxies, webDirectory, access, managementPort,
          accessLog, linearWindow, tls, jobs, live);
    }

    AccessPolicy policy() {
      return access != null ? access : AccessPolicy.adminToken(adminToken);
    }
  }

  /** Builds and starts the demo on {@code storage} with in-memory chat. */
  static DemoServer start(StorageOptions.Storage storage, Options o) {
    return start(storage, new InMemoryChatBroker(), List.of(), o);
  }

  /**
   * Builds and starts the demo on {@code storage} and {@code chat}; closing it closes them, and
   * {@code extras} (channel notices), first.
   */
  static DemoServer start(StorageOptions.Storage storage, ChatBroker chat,
      List<AutoCloseable> extras, Options o) {
    return start(storage, chat, extras, o, new DemoMetrics());
  }

  /**
   * As {@link #start(StorageOptions.Storage, ChatBroker, List, Options)}, recording into {@code
   * metrics} (which the storage may have been opened with); closing the demo closes it.
   */
  static DemoServer start(StorageOptions.Storage storage, ChatBroker chat,
      List<AutoCloseable> extras, Options o, DemoMetrics metrics) {
    IngestService ingest = null;
    LiveIngest live = null;
    // the pipeline announces each new part, the server's held requests wake on it; with Redis
    // the edge that carries them to the other instances came with the channel notices
    LiveEdge edge = extras.stream().filter(LiveEdge.class::isInstance).map(LiveEdge.class::cast)
        .findFirst().orElseGet(LiveEdge::inProcess);
    try {
      if (o.live() != null) {
        live = LiveIngest.builder(Transcoder.builder().workDirectory(o.workDirectory()).build(),
                storage.store())
            .host(o.host()).rtmpPort(o.live().rtmpPort()).reconnectGrace(o.live().grace())
            .access(o.policy()).meterRegistry(metrics.registry).liveEdge(edge).build().start();
      }
      ingest = o.jobs().open(storage.store(), o.workDirectory(), o.uploadDirectory(),
          metrics.registry);
      HlsServer.Builder builder = HlsServer.builder()
          .mediaStore(storage.store())
          .chatBroker(chat)
          .ingest(ingest)
          .access(o.policy())
          .maxUploadBytes(o.maxUploadBytes())
          .uploadDirectory(o.uploadDirectory())
          .allowedOrigins(o.allowedOrigins())
          .trustedProxies(java.util.Set.copyOf(o.trustedProxies()))
          .host(o.host())
          .port(o.port())
          .meterRegistry(metrics.registry)
          .accessLog(o.accessLog())
          .linearWindow(o.linearWindow())
          .liveEdge(edge);
      if (live != null) {
        builder.liveMonitor(live).livePublishing(live);
      }
      if (o.managementPort() == null) {
        builder.mount("/metrics", metrics.scrape());
      }
      if (o.tls() != null) {
        builder.tls(o.tls().certificate(), o.tls().key()).tlsProvider(o.tls().provider());
        if (o.tls().redirectHttpPort() != null) {
          builder.redirectHttpPort(o.tls().redirectHttpPort());
        }
      }
      (o.webDirectory() != null ? StaticSite.development(o.webDirectory())
          : StaticSite.packaged(DemoServer.class.getClassLoader(), "io/hlskit/demo/web"))
          .mountOn(builder);
      HlsServer server = builder.build().start();
      int management = 0;
      if (o.managementPort() != null) {
        try {
          management = metrics.startManagement(o.host(), o.managementPort(),
              HlsHandlers.api(storage.store()).chat(chat).ingest(ingest).access(o.policy())
                  .build());
        } catch (RuntimeException e) {
          server.close();
          throw new HlsException("cannot listen on the management port " + o.managementPort()
              + " (" + e.getMessage() + "); is another server using it?", e);
        }
      }
      return new DemoServer(storage, chat, ingest, server, live, metrics, management, extras);
    } catch (RuntimeException e) {
      if (live != null) {
        live.close();
      }
      metrics.close();
      closeAll(ingest instanceof AutoCloseable c ? List.of(c) : List.of());
      closeAll(extras);
      chat.close();
      storage.close();
      throw e;
    }
  }

  private static void closeAll(List<AutoCloseable> closeables) {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(DemoServer.class).warn("closing {} failed", c, e);
      }
    }
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    }
    server.close();
    metrics.close();
    closeAll(ingest instanceof AutoCloseable c ? List.of(c) : List.of());
    closeAll(extras);
    chat.close();
    storage.close();
  }
}
