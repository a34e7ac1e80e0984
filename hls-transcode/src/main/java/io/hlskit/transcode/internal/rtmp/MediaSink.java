package io.hlskit.transcode.internal.rtmp;

/**
 * Where a publisher's media goes once its publish is taken: FLV bytes (the header first, then
 * one tag at a time). Called on the connection's event loop; implementations hand the bytes to
 * another thread and never block it.
 */
public interface MediaSink {
  /**
   * Takes FLV bytes.
   *
   * @return false when the sink holds as much as it takes: the connection stops reading until
   *     {@code resume} (given to {@link #onDrained}) runs
   */
  boolean write(byte[] flv);

  /** Runs {@code resume} once, on any thread, when the sink can take more again. */
  void onDrained(Runnable resume);

  /**
   * The publisher is gone: it unpublished ({@code clean}) or its connection broke or timed out.
   * Called once.
   */
  void end(boolean clean);

  /**
   * Runs {@code close} once, on any thread, when the sink stops taking media of its own accord
   * (its pipeline stopped, its channel was deleted): the connection then closes. At once when
   * it has stopped already.
   */
  void onStopped(Runnable close);
}
