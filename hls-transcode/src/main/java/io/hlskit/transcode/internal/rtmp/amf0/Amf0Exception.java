package io.hlskit.transcode.internal.rtmp.amf0;

import io.hlskit.transcode.internal.rtmp.RtmpProtocolException;

/** AMF0 bytes that are not a value: cut short, nested too deep, or of an unknown type. */
public final class Amf0Exception extends RtmpProtocolException {
  private static final long serialVersionUID = 1L;

  public Amf0Exception(String message) {
    super(message);
  }
}
