package io.hlskit.core.ingest;

import java.util.Locale;

/** Where an ingest job is; the API writes it in lower case. */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED,
  /** Stopped on request ({@link IngestService#cancel}) before it published anything. */
  CANCELLED;

  /** Whether the job has ended, well or not. */
  public boolean isFinal() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }

  /**
   * The name as the API writes it: {@code queued}, {@code running}, {@code done}, {@code failed},
   * {@code cancelled}.
   */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
