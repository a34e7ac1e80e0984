package io.hlskit.transcode;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.channel.ChannelMetadata;

/**
 * Told what happens to a {@link TranscodeJob}: it started, how far it came, and how it ended
 * (exactly one of finished, failed or cancelled). Called on the job's transcoding thread, except
 * {@link #onCancelled} for a job cancelled before it started, which comes on the thread that
 * cancelled it. Each call must return quickly; what it throws is logged and ignored.
 */
public interface TranscodeListener {
  /** The job left the queue and began decoding. */
  default void onStarted(TranscodeJob job) {}

  /** A few times a second at most. */
  default void onProgress(TranscodeJob job, Progress progress) {}

  /** The channel is published. */
  default void onFinished(TranscodeJob job, ChannelMetadata channel) {}

  /** The transcode failed; nothing was published and no temporary file is left. */
  default void onFailed(TranscodeJob job, TranscodeException error) {}

  /** The job was cancelled; nothing was published and no temporary file is left. */
  default void onCancelled(TranscodeJob job) {}

  /** A listener that ignores everything. */
  static TranscodeListener none() {
    return new TranscodeListener() { };
  }
}
