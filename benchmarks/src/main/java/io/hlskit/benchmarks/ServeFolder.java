package io.hlskit.benchmarks;

import io.hlskit.server.HlsServer;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The hlskit server on a folder of channels, alone in its JVM, for {@code serving.sh} to load
 * with wrk next to nginx. Arguments: the folder, the port. With {@code HLS_JWT_SECRET} in the
 * environment it checks access with a {@link JwtAccessPolicy}, and with {@code HLS_METRICS=1} it
 * records into a Prometheus registry (scraped at {@code /metrics}), to measure what those cost;
 * {@code HLS_TLS_CERT} and {@code HLS_TLS_KEY} (PEM files) serve HTTPS with HTTP/2;
 * {@code HLS_TCP_CORK=0} sends segments without {@code TCP_CORK}, to measure what it gains (it
 * needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} on the java command line).
 */
public final class ServeFolder {
  private ServeFolder() {}

  public static void main(String[] args) throws InterruptedException {
    FileSystemMediaStore store = FileSystemMediaStore.at(Path.of(args[0]));
    HlsServer.Builder builder = HlsServer.builder().mediaStore(store)
        .chatLimits(LoadLimits.ONE_ADDRESS).host("127.0.0.1").port(Integer.parseInt(args[1]));
    String secret = System.getenv("HLS_JWT_SECRET");
    if (secret != null && !secret.isBlank()) {
      builder.access(JwtAccessPolicy.builder().hs256Secret(secret).build());
    }
    boolean metrics = "1".equals(System.getenv("HLS_METRICS"));
    if (metrics) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      builder.meterRegistry(registry).mount("/metrics", exchange ->
          exchange.getResponseSender().send(registry.scrape()));
    }
    String cert = System.getenv("HLS_TLS_CERT");
    if (cert != null && !cert.isBlank()) {
      builder.tls(Path.of(cert), Path.of(System.getenv("HLS_TLS_KEY")));
    }
    boolean cork = !"0".equals(System.getenv("HLS_TCP_CORK"));
    builder.tcpCork(cork);
    HlsServer server = builder.build().start();
    System.out.println("serving " + args[0] + " on " + server.port()
        + (cork ? "" : " without TCP_CORK")
        + (cert != null && !cert.isBlank() ? " over HTTPS" : "")
        + (secret != null && !secret.isBlank() ? " with JWT access" : "")
        + (metrics ? " with metrics" : ""));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      store.close();
    }));
    new CountDownLatch(1).await();
  }
}
