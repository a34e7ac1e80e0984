package io.hlskit.core.live;

import io.hlskit.core.access.AccessRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes a live stream that arrives as a byte stream of a container (WebM or MP4, as a
 * browser's {@code MediaRecorder} makes it) into a live channel's pipeline: the way a server
 * hands a browser's camera to the live ingest without depending on the pipeline that encodes it
 * (it sits in hls-transcode's {@code LiveIngest}; the server does not).
 *
 * <p>A publish is decided at once (the channel, its stream key or the caller's right to
 * publish, one publisher at a time) and then fed chunk by chunk: {@link Publication#write} takes
 * a chunk and says when the pipeline has enough waiting, {@link Publication#onDrained} when to
 * send again. Implementations are thread-safe.
 */
public interface LivePublishing {
  /**
   * Opens a publish into {@code request}'s live channel; on the caller's thread, which it may
   * block for a store read.
   *
   * @throws LivePublishException saying why the publish is refused
   */
  Publication publish(Request request);

  /**
   * A publish asked for.
   *
   * @param channel the live channel's id
   * @param key the channel's stream key, when the sender gives one
   * @param caller the request as the access policy reads it (a token in its {@code
   *     Authorization} header or {@code token} query), asked when there is no key
   * @param container {@code webm} or {@code mp4}, as the sender says (its {@code
   *     MediaRecorder}'s MIME type), or empty to have the demuxer tell
   */
  record Request(String channel, Optional<String> key, AccessRequest caller,
      Optional<String> container) {
    public Request {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(container, "container");
    }
  }

  /**
   * One sender's stream on its way into the pipeline. {@link #write} and {@link #end} come from
   * the sender's thread; the callbacks run on the pipeline's.
   */
  interface Publication {
    /**
     * Hands the next bytes of the stream to the pipeline.
     *
     * @return false when the pipeline has enough waiting: send nothing more until {@link
     *     #onDrained}'s callback runs (what was given is kept)
     */
    boolean write(byte[] bytes);

    /** Runs {@code resume} once the pipeline has read enough of what waits: now, if it has. */
    void onDrained(Runnable resume);

    /**
     * Runs {@code stopped} when the publish is ended from the pipeline's side (the stream is
     * not media it reads, another publisher took over, the channel was deleted, the server is
     * stopping), with the reason; not when the sender ended it.
     */
    void onStopped(java.util.function.Consumer<String> stopped);

    /**
     * The sender has stopped: {@code cleanly} when it said it ends the broadcast, false when it
     * dropped (the channel's reconnect grace then applies either way). Idempotent.
     */
    void end(boolean cleanly);

    /** The bytes written so far. */
    long bytes();
  }
}
