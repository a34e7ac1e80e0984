package io.hlskit.core.ingest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one ingest job, as {@code GET /api/jobs/{id}} shows it.
 *
 * @param id the job's id
 * @param channelId the channel it publishes
 * @param state where it is
 * @param progress the fraction done, 0 to 1, never going back
 * @param error why it failed, when it did: a message a user can act on
 * @param created when it was submitted
 * @param updated when its state or progress last changed
 * @param worker which worker runs it or ran it last, when the service has several (a process
 *     id such as {@code host:pid}); empty while it waits or when the service runs in-process
 * @param attempts how many times a worker started it (0 while it waits for the first)
 */
public record IngestJob(String id, String channelId, JobState state, double progress,
    Optional<String> error, Instant created, Instant updated, Optional<String> worker,
    int attempts) {
  public IngestJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(state, "state");
    if (!(progress >= 0 && progress <= 1)) {
      throw new IllegalArgumentException("progress must be within 0..1: " + progress);
    }
    Objects.requireNonNull(error, "error");
    if (error.isPresent() != (state == JobState.FAILED)) {
      throw new IllegalArgumentException("a job has an error exactly when it failed");
    }
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
    Objects.requireNonNull(worker, "worker");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative: " + attempts);
    }
  }

  /** A job of an in-process service: no worker named, no attempts counted. */
  public IngestJob(String id, String channelId, JobState state, double progress,
      Optional<String> error, Instant created, Instant updated) {
    this(id, channelId, state, progress, error, created, updated, Optional.empty(), 0);
  }
}
