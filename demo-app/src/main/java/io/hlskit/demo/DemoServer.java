package io.hlskit.demo;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsServer;
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
  final QueuedIngestService ingest;
  final HlsServer server;
  private final List<AutoCloseable> extras;

  private DemoServer(StorageOptions.Storage storage, ChatBroker chat, QueuedIngestService ingest,
      HlsServer server, List<AutoCloseable> extras) {
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
   */
  record Options(String host, int port, String adminToken, long maxUploadBytes,
      Path uploadDirectory, Path workDirectory, List<String> allowedOrigins,
      List<String> trustedProxies, Path webDirectory, AccessPolicy access) {

    /** Options with {@code adminToken} as the only credential. */
    Options(String host, int port, String adminToken, long maxUploadBytes,
        Path uploadDirectory, Path workDirectory, List<String> allowedOrigins,
        List<String> trustedProxies, Path webDirectory) {
      this(host, port, adminToken, maxUploadBytes, uploadDirectory, workDirectory,
          allowedOrigins, trustedProxies, webDirectory, null);
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
    QueuedIngestService ingest = null;
    try {
      // uploads are transcoded one at a time: the encoder already uses every core
      ingest = QueuedIngestService.builder(
              new TranscodingIngester(
                  Transcoder.builder().workDirectory(o.workDirectory()).build(),
                  storage.store()))
          .profiles(TranscodingIngester.PROFILES)
          .build();
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
          .port(o.port());
      (o.webDirectory() != null ? StaticSite.development(o.webDirectory())
          : StaticSite.packaged(DemoServer.class.getClassLoader(), "io/hlskit/demo/web"))
          .mountOn(builder);
      HlsServer server = builder.build().start();
      return new DemoServer(storage, chat, ingest, server, extras);
    } catch (RuntimeException e) {
      if (ingest != null) {
        ingest.close();
      }
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
    server.close();
    ingest.close();
    closeAll(extras);
    chat.close();
    storage.close();
  }
}
