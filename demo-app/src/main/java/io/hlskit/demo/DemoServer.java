package io.hlskit.demo;

import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemChannelCatalog;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.nio.file.Path;

/**
 * The demo's assembly: a folder of channels, its catalog and the server with the web page. One
 * place for the wiring, used by {@code serve} and by the end-to-end tests.
 */
final class DemoServer implements AutoCloseable {
  final FileSystemMediaStore store;
  final FileSystemChannelCatalog catalog;
  final HlsServer server;

  private DemoServer(FileSystemMediaStore store, FileSystemChannelCatalog catalog,
      HlsServer server) {
    this.store = store;
    this.catalog = catalog;
    this.server = server;
  }

  /** Builds and starts the demo on {@code streams}, listening on {@code host:port}. */
  static DemoServer start(Path streams, String host, int port) {
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    FileSystemChannelCatalog catalog = FileSystemChannelCatalog.of(store);
    try {
      HlsServer server = HlsServer.builder()
          .mediaStore(store)
          .catalog(catalog)
          .host(host)
          .port(port)
          .staticContent(DemoServer.class.getClassLoader(), "io/hlskit/demo/web")
          .build()
          .start();
      return new DemoServer(store, catalog, server);
    } catch (RuntimeException e) {
      catalog.close();
      store.close();
      throw e;
    }
  }

  @Override
  public void close() {
    server.close();
    catalog.close();
    store.close();
  }
}
