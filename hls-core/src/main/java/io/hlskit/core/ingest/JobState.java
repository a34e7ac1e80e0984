package io.hlskit.core.ingest;

import java.util.Locale;

/** Where an ingest job is; the API writes it in lower case. */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED;

  /** Whether the job has ended, well or not. */
  public boolean isFinal() {
    return this == DONE || this == FAILED;
  }

  /** The name as the API writes it: {@code queued}, {@code running}, {@code done}, {@code failed}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
