package io.hlskit.transcode.internal.rtmp;

/** Decides which publishes are taken; called on a connection's event loop. */
@FunctionalInterface
public interface PublishGate {
  /**
   * The sink the publisher's media goes to.
   *
   * @throws PublishRefusedException saying why the publish is not taken
   */
  MediaSink publish(PublishRequest request);
}
