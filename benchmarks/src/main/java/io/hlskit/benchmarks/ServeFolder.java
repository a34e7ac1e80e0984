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
 * {@code HLS_TLS_CERT} and {@code HLS_TLS_KEY} (PEM files) serve HTTPS with HTTP/2, through
 * BoringSSL (Conscrypt) with {@code HLS_TLS_PROVIDER=conscrypt};
 * {@code HLS_TCP_CORK=0} sends segments without {@code TCP_CORK}, to measure what it gains (it
 * needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} on the java command line).
 *
 * <p>{@code HLS_METRICS_TWIN_PORT=port} also starts, in the same JVM, a twin of the server on
 * that port that records metrics (the first then does not), started first with {@code
 * HLS_METRICS_TWIN_FIRST=1}: both run the same compiled code, so what separates them is the
 * recording alone, not two JVMs compiling differently. Undertow names each server's threads
 * {@code XNIO-n} in the order they start, which tells their CPU time apart. With {@code
 * HLS_METRICS_TWIN_PLAIN=1} the twin records nothing either: what two equal servers differ by is
 * the floor of that measurement.
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
      if ("conscrypt".equals(System.getenv("HLS_TLS_PROVIDER"))) {
        builder.tlsProvider(HlsServer.TlsProvider.CONSCRYPT);
      }
    }
    boolean cork = !"0".equals(System.getenv("HLS_TCP_CORK"));
    builder.tcpCork(cork);
    String twinPort = System.getenv("HLS_METRICS_TWIN_PORT");
    if (twinPort != null && !twinPort.isBlank()) {
      serveWithTwin(builder, store, Integer.parseInt(twinPort),
          "1".equals(System.getenv("HLS_METRICS_TWIN_FIRST")));
      return;
    }
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

  /** Serves {@code builder}'s server and a twin on {@code twinPort} that records metrics. */
  private static void serveWithTwin(HlsServer.Builder builder, FileSystemMediaStore store,
      int twinPort, boolean twinFirst) throws InterruptedException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HlsServer.Builder twin = HlsServer.builder().mediaStore(store)
        .chatLimits(LoadLimits.ONE_ADDRESS).host("127.0.0.1").port(twinPort);
    boolean plain = "1".equals(System.getenv("HLS_METRICS_TWIN_PLAIN"));
    if (!plain) {
      twin.meterRegistry(registry);
    }
    HlsServer first = (twinFirst ? twin : builder).build().start();
    HlsServer second = (twinFirst ? builder : twin).build().start();
    String twinIs = plain ? "the twin (no metrics either)" : "with metrics";
    System.out.println("serving " + (twinFirst ? twinIs + " on " + first.port()
        + " (XNIO-1), without on " + second.port() + " (XNIO-2)"
        : "without metrics on " + first.port() + " (XNIO-1), " + twinIs + " on " + second.port()
        + " (XNIO-2)"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      second.close();
      first.close();
      store.close();
    }));
    new CountDownLatch(1).await();
  }
}
