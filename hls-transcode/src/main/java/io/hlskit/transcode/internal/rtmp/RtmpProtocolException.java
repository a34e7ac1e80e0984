package io.hlskit.transcode.internal.rtmp;

import io.hlskit.core.HlsException;

/**
 * A peer broke the RTMP protocol (bytes that are not a handshake, a chunk or a command, or go
 * past a limit): its connection is closed, and nothing it sent is kept.
 */
public class RtmpProtocolException extends HlsException {
  private static final long serialVersionUID = 1L;

  public RtmpProtocolException(String message) {
    super(message);
  }
}
