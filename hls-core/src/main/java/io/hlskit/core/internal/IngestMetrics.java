package io.hlskit.core.internal;

import io.hlskit.core.ingest.JobState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * {@code hlskit_ingest_jobs{state}}: the jobs an ingest service holds in each state. Only loaded
 * when an application gives a meter registry, so Micrometer is needed only then.
 */
public final class IngestMetrics {
  private IngestMetrics() {}

  /** Gauges of {@code countIn(state)} for every state. */
  public static void bind(MeterRegistry r, ToIntFunction<JobState> countIn) {
    for (JobState state : JobState.values()) {
      Gauge.builder("hlskit.ingest.jobs", () -> countIn.applyAsInt(state))
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("ingest jobs in each state (finished ones as far as remembered)")
          .register(r);
    }
  }
}
