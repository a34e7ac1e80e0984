package io.hlskit.demo;

import io.hlskit.chat.redis.RedisIngestService;
import io.hlskit.core.HlsException;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.TranscodingIngester;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where ingest jobs wait and who works them.
 *
 * @param redis whether jobs live in Redis (shared by every instance) rather than in memory
 * @param redisUrl the Redis, with {@code redis}
 * @param namespace the prefix of the keys in Redis
 * @param timeout how long a running job may go without its worker's heartbeat
 * @param transcode whether this process works jobs; without, it only queues them (Redis only)
 * @param concurrency how many jobs this process works at once
 */
record JobSettings(boolean redis, String redisUrl, String namespace, Duration timeout,
    boolean transcode, int concurrency) {
  /** Jobs in this process's memory, one at a time: the embedded default. */
  static final JobSettings MEMORY =
      new JobSettings(false, null, null, Duration.ofSeconds(30), true, 1);

  JobSettings {
    if (!redis && !transcode) {
      throw new HlsException("--no-transcode leaves uploads to worker processes, which only"
          + " --jobs redis (HLS_JOBS=redis) lets them reach: give both, or neither");
    }
  }

  /**
   * The ingest service: transcodes into {@code store}, writing under {@code workDirectory}, and
   * with Redis keeps a fetched upload in {@code spoolDirectory} while it works; the caller
   * closes it.
   */
  IngestService open(MediaStore store, Path workDirectory, Path spoolDirectory,
      MeterRegistry registry) {
    Ingester ingester = !transcode ? null : new TranscodingIngester(
        Transcoder.builder().workDirectory(workDirectory).meterRegistry(registry).build(), store);
    if (!redis) {
      // one at a time: the encoder already uses every core
      return QueuedIngestService.builder(ingester).workers(concurrency)
          .profiles(TranscodingIngester.PROFILES).meterRegistry(registry).build();
    }
    return RedisIngestService.builder(redisUrl, store).namespace(namespace).ingester(ingester)
        .concurrency(concurrency).jobTimeout(timeout).spoolDirectory(spoolDirectory)
        .profiles(TranscodingIngester.PROFILES).meterRegistry(registry).build();
  }

  /** Where jobs are, for the log. */
  String describe() {
    String where = redis ? "Redis (" + redisUrl.replaceAll("//[^@/]*@", "//***@") + ")"
        : "memory";
    return where + (transcode ? ", worked here " + concurrency + " at a time"
        : ", worked by worker processes");
  }
}
