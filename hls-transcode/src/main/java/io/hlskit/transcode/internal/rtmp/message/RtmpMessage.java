package io.hlskit.transcode.internal.rtmp.message;

import java.util.Objects;

/**
 * One RTMP message, reassembled from its chunks: its type, the message stream it belongs to, its
 * timestamp in milliseconds (32 bits, wrapping) and its payload.
 *
 * @param chunkStream the chunk stream it came on (or is to be sent on)
 */
public record RtmpMessage(int type, int streamId, long timestamp, int chunkStream,
    byte[] payload) {
  public static final int SET_CHUNK_SIZE = 1;
  public static final int ABORT = 2;
  public static final int ACKNOWLEDGEMENT = 3;
  public static final int USER_CONTROL = 4;
  public static final int WINDOW_ACK_SIZE = 5;
  public static final int SET_PEER_BANDWIDTH = 6;
  public static final int AUDIO = 8;
  public static final int VIDEO = 9;
  public static final int DATA_AMF3 = 15;
  public static final int COMMAND_AMF3 = 17;
  public static final int DATA_AMF0 = 18;
  public static final int COMMAND_AMF0 = 20;
  public static final int AGGREGATE = 22;

  public RtmpMessage {
    Objects.requireNonNull(payload, "payload");
  }

  /** A protocol control message (chunk stream 2, message stream 0) with a 32-bit value. */
  public static RtmpMessage control(int type, long value) {
    return new RtmpMessage(type, 0, 0, 2, be32(value));
  }

  /** {@code value} as 4 big-endian bytes. */
  public static byte[] be32(long value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
        (byte) value};
  }

  /** The big-endian 32-bit value at {@code offset} of the payload, or -1 when it is too short. */
  public long u32(int offset) {
    if (payload.length < offset + 4) {
      return -1;
    }
    return (payload[offset] & 0xFFL) << 24 | (payload[offset + 1] & 0xFFL) << 16
        | (payload[offset + 2] & 0xFFL) << 8 | (payload[offset + 3] & 0xFFL);
  }

  @Override
  public String toString() {
    return "RtmpMessage[type=" + type + ", stream=" + streamId + ", ts=" + timestamp + ", "
        + payload.length + " bytes]";
  }
}
