package io.hlskit.demo;

import io.hlskit.chat.redis.RedisChannelNotices;
import io.hlskit.chat.redis.RedisIngestService;
import io.hlskit.server.HlsHandlers;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code worker}: transcodes the uploads that {@code serve --jobs redis} instances queue. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Works the transcoding jobs that `serve --jobs redis` instances queue in"
        + " Redis: fetches each upload from the shared store (the same --storage as the"
        + " instances), transcodes it and publishes the channel there. No web page; health and"
        + " /metrics on --port.",
        "Run as many as you like on as many machines; a job whose worker dies is started again"
            + " by another after --job-timeout.",
        "Every option also reads from the environment variable named in its description."})
final class WorkerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

  @Option(names = "--port", defaultValue = "${env:HLS_PORT:-8081}",
      description = "TCP port of the health endpoints (/api/health/live, /api/health/ready) and"
          + " /metrics (HLS_PORT; default ${DEFAULT-VALUE}); 0 picks a free one")
  int port;

  @Option(names = "--host", defaultValue = "${env:HLS_HOST:-0.0.0.0}",
      description = "address the health port listens on (HLS_HOST; default ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--concurrency", defaultValue = "${env:HLS_CONCURRENCY:-1}",
      description = "jobs worked at once (HLS_CONCURRENCY; default ${DEFAULT-VALUE}: one"
          + " transcode already uses every core)")
  int concurrency;

  @Mixin
  JobTimeoutOption jobTimeout;

  @Mixin
  StorageOptions storageOptions;

  @Mixin
  RedisOptions redis;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--concurrency must be at least 1: " + concurrency);
    }
    JobSettings settings = new JobSettings(true, redis.url, redis.namespace,
        jobTimeout.timeout(), true, concurrency);
    DemoMetrics metrics = new DemoMetrics();
    StorageOptions.Storage storage = null;
    AutoCloseable notices = null;
    RedisIngestService jobs = null;
    int bound;
    try {
      storage = storageOptions.open(Duration.ofSeconds(10), null, metrics.registry);
      // the instances hear of a channel a worker published at once, not at their next scan
      notices = RedisChannelNotices.attach(redis.url, redis.namespace, storage.store().channels());
      jobs = (RedisIngestService) settings.open(storage.store(),
          storageOptions.workDirectory(), storageOptions.uploadDirectory(), metrics.registry);
      bound = metrics.startManagement(host, port,
          HlsHandlers.api(storage.store()).ingest(jobs).build());
    } catch (RuntimeException e) {
      close(jobs, notices, storage, metrics);
      throw e;
    }
    StorageOptions.Storage store = storage;
    AutoCloseable announcer = notices;
    RedisIngestService queue = jobs;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // a job running now goes back to the queue for another worker
      close(queue, announcer, store, metrics);
      stopped.countDown();
    }, "hlskit-shutdown"));
    String id = jobs.workerId().orElse("?");
    LOG.info("worker {} works jobs from {} into {}, {} at a time", id, redis.describe(),
        storage.where(), concurrency);
    System.out.println("hlskit worker " + id + ": health on http://localhost:" + bound
        + "/api/health (Ctrl+C stops)");
    stopped.await();
    return 0;
  }

  private static void close(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", c, e);
      }
    }
  }
}
