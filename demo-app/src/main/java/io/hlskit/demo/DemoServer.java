package io.hlskit.demo;

import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemChannelCatalog;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;

/**
 * The demo's assembly: a folder of channels, its catalog and the server with the web page. One
 * place for the wiring, used by {@code serve} and by the end-to-end tests.
 */
final class DemoServer implements AutoCloseable {
  final FileSystemMediaStore store;
  final FileSystemChannelCatalog catalog;
  final QueuedIngestService ingest;
  final HlsServer server;

  private DemoServer(FileSystemMediaStore store, FileSystemChannelCatalog catalog,
      QueuedIngestService ingest, HlsServer server) {
    this.store = store;
    this.catalog = catalog;
    this.ingest = ingest;
    this.server = server;
  }

  /** What the demo is started with. */
  record Options(Path streams, String host, int port, String adminToken, long maxUploadBytes) {}

  /** Builds and starts the demo. */
  static DemoServer start(Options o) {
    FileSystemMediaStore store = FileSystemMediaStore.at(o.streams());
    FileSystemChannelCatalog catalog = FileSystemChannelCatalog.of(store);
    QueuedIngestService ingest = null;
    try {
      // uploads are transcoded one at a time: the encoder already uses every core
      ingest = QueuedIngestService.builder(new TranscodingIngester(Transcoder.create(), store))
          .profiles(TranscodingIngester.PROFILES)
          .build();
      HlsServer server = HlsServer.builder()
          .mediaStore(store)
          .catalog(catalog)
          .ingest(ingest)
          .adminToken(o.adminToken())
          .maxUploadBytes(o.maxUploadBytes())
          .uploadDirectory(o.streams().resolve(".hlskit-uploads"))
          .host(o.host())
          .port(o.port())
          .staticContent(DemoServer.class.getClassLoader(), "io/hlskit/demo/web")
          .build()
          .start();
      return new DemoServer(store, catalog, ingest, server);
    } catch (RuntimeException e) {
      if (ingest != null) {
        ingest.close();
      }
      catalog.close();
      store.close();
      throw e;
    }
  }

  @Override
  public void close() {
    server.close();
    ingest.close();
    catalog.close();
    store.close();
  }
}
