package io.hlskit.demo;

import io.hlskit.core.HlsException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --job-timeout}, which {@code serve} and {@code worker} read alike. */
final class JobTimeoutOption {
  @Option(names = "--job-timeout", defaultValue = "${env:HLS_JOB_TIMEOUT:-30}",
      description = "seconds a running job may go without its worker's heartbeat before another"
          + " worker starts it again, with --jobs redis (HLS_JOB_TIMEOUT; default"
          + " ${DEFAULT-VALUE}); give every worker and instance the same")
  int seconds;

  /** The timeout; at least 2 seconds, as the heartbeat comes every half second. */
  Duration timeout() {
    if (seconds < 2) {
      throw new HlsException("--job-timeout (HLS_JOB_TIMEOUT) must be at least 2 seconds: "
          + seconds);
    }
    return Duration.ofSeconds(seconds);
  }
}
