package io.hlskit.transcode.internal.rtmp.handshake;

import io.hlskit.transcode.internal.rtmp.RtmpProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server's side of RTMP's plain handshake: C0 and C1 in, S0, S1 and S2 out, C2 in. The
 * digest ("complex") handshake that some players ask for is answered the plain way, which every
 * publisher (OBS, FFmpeg, GStreamer, hardware encoders) takes: they check no digest when they
 * publish. Not thread-safe: one per connection.
 */
public final class Handshake {
  /** The only RTMP version there is (6 and up would be encrypted RTMPE, not taken). */
  public static final int VERSION = 3;
  /** The size of C1, C2, S1 and S2. */
  public static final int SIZE = 1536;

  private enum Step { C0C1, C2, DONE }

  private Step step = Step.C0C1;

  /** Whether the handshake is over and chunks follow. */
  public boolean done() {
    return step == Step.DONE;
  }

  /**
   * Reads what of the handshake {@code in} holds, writing the answers into {@code out}; leaves
   * the bytes after C2 (the first chunks) in {@code in}.
   *
   * @return whether the handshake is over
   * @throws RtmpProtocolException when C0 names another version: not an RTMP client
   */
  public boolean read(ByteBuf in, ByteBuf out) {
    if (step == Step.C0C1) {
      if (in.isReadable()) {
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != VERSION) {
          throw new RtmpProtocolException("not an RTMP client: its first byte is " + version
              + ", where RTMP sends " + VERSION + " (RTMPE and RTMPT are not taken)");
        }
      }
      if (in.readableBytes() < 1 + SIZE) {
        return false;
      }
      in.skipBytes(1);
      out.writeByte(VERSION);
      // S1: our time, four zero bytes (the plain handshake), random bytes
      out.writeInt((int) (System.currentTimeMillis() / 1000));
      out.writeInt(0);
      byte[] random = new byte[SIZE - 8];
      ThreadLocalRandom.current().nextBytes(random);
      out.writeBytes(random);
      // S2: C1 echoed
      out.writeBytes(in, SIZE);
      step = Step.C2;
    }
    if (step == Step.C2) {
      if (in.readableBytes() < SIZE) {
        return false;
      }
      in.skipBytes(SIZE);
      step = Step.DONE;
    }
    return true;
  }
}
