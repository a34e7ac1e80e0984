package io.hlskit.demo;

import io.hlskit.core.HlsException;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}'s choice of job queue, and whether it transcodes itself. */
final class JobOptions {
  @Option(names = "--jobs", defaultValue = "${env:HLS_JOBS:-memory}",
      description = "memory (uploads transcoded by the instance that took them) or redis (jobs"
          + " queued in Redis, seen by every instance, worked by any instance or `worker`"
          + " process; Redis must persist: appendonly yes); HLS_JOBS; default ${DEFAULT-VALUE}")
  String jobs;

  @Option(names = "--transcode", negatable = true,
      defaultValue = "${env:HLS_TRANSCODE:-true}", fallbackValue = "true",
      description = "work transcoding jobs in this instance (HLS_TRANSCODE; default"
          + " ${DEFAULT-VALUE}); --no-transcode with --jobs redis leaves them to `worker`"
          + " processes and keeps this instance for web traffic")
  boolean transcode;

  @Mixin
  JobTimeoutOption jobTimeout;

  boolean isRedis() {
    String j = jobs == null ? "memory" : jobs.strip().toLowerCase(Locale.ROOT);
    if (j.equals("redis")) {
      return true;
    }
    if (j.equals("memory")) {
      return false;
    }
    throw new HlsException("unknown job queue '" + jobs + "': use memory or redis");
  }

  /** The settings, with Redis from {@code redis}. */
  JobSettings settings(RedisOptions redis) {
    return new JobSettings(isRedis(), redis.url, redis.namespace, jobTimeout.timeout(),
        transcode, 1);
  }
}
