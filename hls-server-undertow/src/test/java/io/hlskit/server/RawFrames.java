package io.hlskit.server;

import java.nio.charset.StandardCharsets;

/** WebSocket frames written by hand, for tests that talk to the server over a raw socket. */
final class RawFrames {
  private RawFrames() {}

  /** A masked client frame (RFC 6455 wants clients to mask) with a payload under 126 bytes. */
  static byte[] frame(int opcode, byte[] payload) {
    if (payload.length >= 126) {
      throw new IllegalArgumentException("short frames only: " + payload.length + " bytes");
    }
    byte[] mask = {0x5a, 0x3c, 0x11, 0x7e};
    byte[] f = new byte[6 + payload.length];
    f[0] = (byte) (0x80 | opcode);
    f[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, f, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return f;
  }

  /** A masked text frame. */
  static byte[] text(String text) {
    return frame(1, text.getBytes(StandardCharsets.UTF_8));
  }
}
