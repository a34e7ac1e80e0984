package io.hlskit.benchmarks;

import io.hlskit.chat.redis.RedisIngestService;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.JobState;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.TranscodingIngester;
import io.hlskit.transcode.internal.SampleVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Redis job queue's costs, on a folder store and a real redis-server started here.
 *
 * <ul>
 *   <li>{@code overhead}: from {@code submit} to the ingester starting, with an idle worker and an
 *       ingester that does nothing, {@code --jobs} times one after the other: Redis
 *       ({@link RedisIngestService}: the upload copied into the store, queued, read by the worker,
 *       copied back out) against in-process ({@link QueuedIngestService}) in the same run.
 *   <li>{@code throughput}: {@code --transcodes} real transcodes of a {@code --seconds} clip
 *       (640x360, profile {@code medium}) queued at once, worked by one worker, then by two
 *       (each its own transcoder, one job at a time), after one transcode to warm up: jobs per
 *       minute and the ratio.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.JobQueueLoad --mode overhead
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.JobQueueLoad --mode throughput
 * </pre>
 */
@Command(name = "job-queue", mixinStandardHelpOptions = true)
public final class JobQueueLoad implements Callable<Integer> {
  @Option(names = "--mode", defaultValue = "overhead", description = "overhead or throughput")
  String mode;

  @Option(names = "--jobs", defaultValue = "300", description = "jobs for overhead")
  int jobs;

  @Option(names = "--upload-kb", defaultValue = "1024", description = "upload size, overhead")
  int uploadKb;

  @Option(names = "--transcodes", defaultValue = "8", description = "jobs for throughput")
  int transcodes;

  @Option(names = "--seconds", defaultValue = "10", description = "clip length, throughput")
  int seconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new JobQueueLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("hlskit-jobs-bench");
    try (RedisTestServer redis = RedisTestServer.start();
        FileSystemMediaStore store = FileSystemMediaStore.at(dir.resolve("streams"))) {
      if (mode.equals("overhead")) {
        overhead(dir, redis, store);
      } else {
        throughput(dir, redis, store);
      }
    } finally {
      BenchMedia.delete(dir);
    }
    return 0;
  }

  private void overhead(Path dir, RedisTestServer redis, FileSystemMediaStore store)
      throws Exception {
    byte[] upload = new byte[uploadKb * 1024];
    new Random(1).nextBytes(upload);
    SynchronousQueue<Long> started = new SynchronousQueue<>();
    Ingester noop = (request, progress) -> started.put(System.nanoTime());
    try (QueuedIngestService local = QueuedIngestService.builder(noop).build()) {
      report("in-process", measure(local, dir, upload, started));
    }
    try (RedisIngestService web = RedisIngestService.builder(redis.uri(), store)
            .namespace("bench-overhead").build();
        RedisIngestService worker = RedisIngestService.builder(redis.uri(), store)
            .namespace("bench-overhead").ingester(noop).spoolDirectory(dir.resolve("spool"))
            .build()) {
      report("redis", measure(web, dir, upload, started));
    }
  }

  /** Submit-to-start times of {@code jobs} jobs, in microseconds, sorted (after a warm-up). */
  private long[] measure(IngestService service, Path dir, byte[] upload,
      SynchronousQueue<Long> started) throws Exception {
    int warmup = Math.min(50, jobs);
    long[] micros = new long[jobs];
    for (int i = -warmup; i < jobs; i++) {
      Path file = dir.resolve("upload.mp4");
      Files.write(file, upload);
      long t0 = System.nanoTime();
      IngestJob job = service.submit(new IngestRequest(file, "c" + Math.abs(i), "T", "medium",
          Optional.empty()));
      Long at = started.poll(30, TimeUnit.SECONDS);
      if (at == null) {
        throw new IllegalStateException("job " + job.id() + " did not start within 30 s");
      }
      if (i >= 0) {
        micros[i] = (at - t0) / 1000;
      }
      awaitEnd(service, job.id()); // the worker idle again before the next
    }
    Arrays.sort(micros);
    return micros;
  }

  private static void report(String what, long[] micros) {
    System.out.printf("%-10s submit to start: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d jobs)%n",
        what, pct(micros, 0.5) / 1000.0, pct(micros, 0.9) / 1000.0, pct(micros, 0.99) / 1000.0,
        micros.length);
  }

  private void throughput(Path dir, RedisTestServer redis, FileSystemMediaStore store)
      throws Exception {
    Path clip = dir.resolve("clip.mp4");
    SampleVideo.write(clip, SampleVideo.Spec.mp4(640, 360, seconds));
    // one transcode first, so that neither side pays for loading libav and warming the JIT
    Path warm = dir.resolve("warm.mp4");
    Files.copy(clip, warm);
    new TranscodingIngester(Transcoder.builder().workDirectory(dir.resolve("work-warm")).build(),
        store).ingest(new IngestRequest(warm, "warmup", "T", "medium", Optional.empty()), p -> { });
    double[] perMinute = new double[3];
    for (int workers = 1; workers <= 2; workers++) {
      String namespace = "bench-throughput-" + workers;
      List<RedisIngestService> running = new ArrayList<>();
      try (RedisIngestService web = RedisIngestService.builder(redis.uri(), store)
          .namespace(namespace).build()) {
        for (int w = 0; w < workers; w++) {
          Transcoder transcoder = Transcoder.builder()
              .workDirectory(dir.resolve("work-" + w)).build();
          running.add(RedisIngestService.builder(redis.uri(), store).namespace(namespace)
              .ingester(new TranscodingIngester(transcoder, store))
              .spoolDirectory(dir.resolve("spool-" + w)).build());
        }
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < transcodes; i++) {
          Path file = dir.resolve("upload-" + i + ".mp4");
          Files.copy(clip, file);
          ids.add(web.submit(new IngestRequest(file, "w" + workers + "-" + i, "T", "medium",
              Optional.of("clip.mp4"))).id());
        }
        for (String id : ids) {
          IngestJob end = awaitEnd(web, id);
          if (end.state() != JobState.DONE) {
            throw new IllegalStateException("job " + id + " ended " + end.state() + ": "
                + end.error().orElse(""));
          }
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        perMinute[workers] = transcodes / minutes;
        System.out.printf("%d worker%s: %d transcodes of a %d s 640x360 clip (medium) in %.1f s:"
            + " %.2f jobs/min%n", workers, workers == 1 ? " " : "s", transcodes, seconds,
            minutes * 60, perMinute[workers]);
      } finally {
        for (RedisIngestService r : running) {
          r.close();
        }
      }
    }
    System.out.printf("two workers over one: %.2fx (%d cores)%n", perMinute[2] / perMinute[1],
        Runtime.getRuntime().availableProcessors());
  }

  private static IngestJob awaitEnd(IngestService service, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      IngestJob j = service.job(id).orElseThrow();
      if (j.state().isFinal()) {
        return j;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("job " + id + " did not end within 10 minutes");
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }
}
