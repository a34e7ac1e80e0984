package io.hlskit.demo.examples;

import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.nio.file.Path;

/** Serves the channels in a folder, with a live chat for each, until the JVM stops. */
public class ServeFolder {
  public static void main(String[] args) {
    Runnable stop = start(Path.of("streams"), 8080);
    System.out.println("http://localhost:8080/api/channels");
    Runtime.getRuntime().addShutdownHook(new Thread(stop));
  }

  /** Starts serving {@code folder} on {@code port}; running the result stops it all. */
  public static Runnable start(Path folder, int port) {
    FileSystemMediaStore store = FileSystemMediaStore.at(folder); // plain HLS folders too
    HlsServer server = HlsServer.builder()
        .mediaStore(store)      // /streams/{channel}/..., /api/channels, /ws/chat?channel=...
        .mount("/hello", exchange -> exchange.getResponseSender().send("hello"))
        .port(port)             // 0 picks a free port: server.port() tells which
        .build()
        .start();
    return () -> {
      server.close();           // drains requests in flight first; safe to call twice
      store.close();            // stops the folder's scan for new channels
    };
  }
}
