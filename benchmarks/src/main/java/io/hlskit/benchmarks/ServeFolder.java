package io.hlskit.benchmarks;

import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The hlskit server on a folder of channels, alone in its JVM, for {@code serving.sh} to load
 * with wrk next to nginx. Arguments: the folder, the port.
 */
public final class ServeFolder {
  private ServeFolder() {}

  public static void main(String[] args) throws InterruptedException {
    FileSystemMediaStore store = FileSystemMediaStore.at(Path.of(args[0]));
    HlsServer server = HlsServer.builder().mediaStore(store).chatLimits(LoadLimits.ONE_ADDRESS)
        .host("127.0.0.1").port(Integer.parseInt(args[1])).build().start();
    System.out.println("serving " + args[0] + " on " + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      store.close();
    }));
    new CountDownLatch(1).await();
  }
}
