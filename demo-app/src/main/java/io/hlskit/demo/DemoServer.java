package io.hlskit.demo;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsServer;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;

/**
 * The demo's assembly: a store of channels (a folder or a bucket), its catalog and the server
 * with the web page. One place for the wiring, used by {@code serve} and by the end-to-end tests.
 */
final class DemoServer implements AutoCloseable {
  final StorageOptions.Storage storage;
  final MediaStore store;
  final ChannelCatalog catalog;
  final QueuedIngestService ingest;
  final HlsServer server;

  private DemoServer(StorageOptions.Storage storage, QueuedIngestService ingest,
      HlsServer server) {
    this.storage = storage;
    this.store = storage.store();
    this.catalog = storage.catalog();
    this.ingest = ingest;
    this.server = server;
  }

  /**
   * What the demo is started with besides its storage.
   *
   * @param uploadDirectory where uploads are spooled before they are transcoded
   */
  record Options(String host, int port, String adminToken, long maxUploadBytes,
      Path uploadDirectory) {}

  /** Builds and starts the demo on {@code storage}, which it closes when closed. */
  static DemoServer start(StorageOptions.Storage storage, Options o) {
    QueuedIngestService ingest = null;
    try {
      // uploads are transcoded one at a time: the encoder already uses every core
      ingest = QueuedIngestService.builder(
              new TranscodingIngester(Transcoder.create(), storage.store()))
          .profiles(TranscodingIngester.PROFILES)
          .build();
      HlsServer server = HlsServer.builder()
          .mediaStore(storage.store())
          .catalog(storage.catalog())
          .ingest(ingest)
          .adminToken(o.adminToken())
          .maxUploadBytes(o.maxUploadBytes())
          .uploadDirectory(o.uploadDirectory())
          .host(o.host())
          .port(o.port())
          .staticContent(DemoServer.class.getClassLoader(), "io/hlskit/demo/web")
          .build()
          .start();
      return new DemoServer(storage, ingest, server);
    } catch (RuntimeException e) {
      if (ingest != null) {
        ingest.close();
      }
      storage.close();
      throw e;
    }
  }

  @Override
  public void close() {
    server.close();
    ingest.close();
    storage.close();
  }
}
