package io.hlskit.core.ingest;

import java.util.Optional;
import java.util.Set;

/**
 * Where the server hands an upload to be turned into a channel. The server never transcodes: the
 * demo app wires a transcoder in behind this SPI, usually through {@link QueuedIngestService}.
 *
 * <p>Thread-safe.
 */
public interface IngestService {

  /**
   * Accepts a job; returns at once with it queued. The service owns the request's file from now
   * on.
   *
   * @throws io.hlskit.core.HlsException when the service cannot take the job (closed, queue
   *     full); the file is deleted then too
   */
  IngestJob submit(IngestRequest request);

  /** The job's current state, while the service remembers it. */
  Optional<IngestJob> job(String jobId);

  /**
   * Asks for the job to stop: a queued job is {@link JobState#CANCELLED} at once and its upload
   * deleted; a running one stops within a couple of seconds, publishing nothing, and then shows
   * as cancelled; an ended job stays as it is.
   *
   * @return the job as it is after asking, empty when the service does not know it
   * @throws io.hlskit.core.HlsException when the service cannot be reached now
   * @throws UnsupportedOperationException when the service cannot cancel jobs at all
   */
  default Optional<IngestJob> cancel(String jobId) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot cancel jobs");
  }

  /**
   * Whether the service can take and report jobs now (its queue reachable), for readiness
   * checks; an in-process service always can.
   */
  default boolean isAvailable() {
    return true;
  }

  /**
   * The profile names this service understands ({@code low}, {@code medium}, ...), so that the
   * server can refuse a wrong one before taking the upload; empty means any name is passed on.
   */
  default Set<String> profiles() {
    return Set.of();
  }
}
