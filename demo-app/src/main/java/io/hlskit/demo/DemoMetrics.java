package io.hlskit.demo;

import io.hlskit.server.HlsHandlers;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * The demo's metrics: a Prometheus registry with the JVM's and the process's meters bound, the
 * {@code /metrics} scrape (Prometheus text format), and, when asked, a management server on a
 * port of its own where {@code /metrics} and the health endpoints live alone.
 */
final class DemoMetrics implements AutoCloseable {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private Undertow management;

  DemoMetrics() {
    // two of Micrometer's processor meters break Prometheus's naming rules (promtool says so):
    // the CPU count is named like a histogram's count, the CPU time counts in "ns"; the count
    // is kept under a name of its own, the time left out (process_cpu_usage says the same)
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
          }
        });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** {@code GET /metrics}: the registry in Prometheus's text format. */
  HttpHandler scrape() {
    return exchange -> {
      if (!exchange.getRequestMethod().equals(Methods.GET)
          && !exchange.getRequestMethod().equals(Methods.HEAD)) {
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        HlsHandlers.sendError(exchange, 405, "method_not_allowed", "metrics are read with GET");
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE,
          "text/plain; version=0.0.4; charset=utf-8");
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
      exchange.setResponseContentLength(body.length);
      exchange.getResponseSender().send(ByteBuffer.wrap(body));
    };
  }

  /**
   * Starts the management server on {@code host}:{@code port} (0 for any free port): {@code
   * /metrics}, and {@code /api/health}, {@code /api/health/live} and {@code /api/health/ready}
   * answered by {@code api}; nothing else.
   *
   * @return the port it listens on
   */
  int startManagement(String host, int port, HttpHandler api) {
    HttpHandler health = exchange -> {
      String path = exchange.getRelativePath();
      if (path.equals("/health") || path.startsWith("/health/")) {
        api.handleRequest(exchange);
      } else {
        notFound(exchange);
      }
    };
    management = Undertow.builder().addHttpListener(port, host)
        .setHandler(Handlers.path(DemoMetrics::notFound).addExactPath("/metrics", scrape())
            .addPrefixPath("/api", health))
        .build();
    management.start();
    int bound = ((InetSocketAddress) management.getListenerInfo().get(0).getAddress())
        .getPort();
    LoggerFactory.getLogger(DemoMetrics.class).info(
        "metrics and health on http://{}:{}/metrics", host, bound);
    return bound;
  }

  private static void notFound(HttpServerExchange exchange) {
    HlsHandlers.sendError(exchange, 404, "not_found", "the management port serves /metrics and"
        + " /api/health only");
  }

  @Override
  public void close() {
    if (management != null) {
      management.stop();
    }
    gc.close();
    registry.close();
  }
}
