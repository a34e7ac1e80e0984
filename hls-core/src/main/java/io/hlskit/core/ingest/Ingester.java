package io.hlskit.core.ingest;

/**
 * The work behind an ingest job: turns the request's file into a published channel. Runs on a
 * worker thread of {@link QueuedIngestService}.
 */
@FunctionalInterface
public interface Ingester {

  /**
   * Publishes the channel, reporting progress as it goes.
   *
   * @param request what to ingest; the file is deleted after this returns or throws
   * @param progress takes the fraction done, 0 to 1; lower values than before are ignored
   * @throws Exception when it fails: the message becomes the job's error, so say what was wrong
   *     with the input and what to do
   */
  void ingest(IngestRequest request, java.util.function.DoubleConsumer progress) throws Exception;
}
