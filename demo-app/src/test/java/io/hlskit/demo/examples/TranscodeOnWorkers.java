package io.hlskit.demo.examples;

import io.hlskit.chat.redis.RedisIngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsServer;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.TranscodingIngester;
import java.time.Duration;

/**
 * Uploads queued in Redis and transcoded by whichever worker is free: web instances that only
 * queue, workers that only transcode, all on one store (a bucket) and one Redis.
 */
public class TranscodeOnWorkers {
  /** A web instance: takes uploads and queues them; running the result stops it. */
  public static Runnable web(MediaStore store, String redisUri, String adminToken, int port) {
    RedisIngestService jobs = RedisIngestService.builder(redisUri, store)
        .profiles(TranscodingIngester.PROFILES) // refuse an unknown profile at the door
        .build();                               // no ingester: this instance transcodes nothing
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .adminToken(adminToken)   // POST /api/channels, DELETE /api/jobs/{id} (cancel)
        .ingest(jobs)             // GET /api/jobs/{id} answers alike on every instance
        .port(port)
        .build()
        .start();
    return () -> {
      server.close();
      jobs.close();
    };
  }

  /** A worker: transcodes queued uploads into the store, one at a time; close it to stop. */
  public static RedisIngestService worker(MediaStore store, String redisUri) {
    return RedisIngestService.builder(redisUri, store)
        .ingester(new TranscodingIngester(Transcoder.create(), store))
        .jobTimeout(Duration.ofSeconds(30)) // silent this long, a worker loses its job to another
        .maxAttempts(3)                     // then the job fails with the last reason
        .build();
  }
}
