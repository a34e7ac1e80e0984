package io.hlskit.transcode.internal.rtmp.chunk;

import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;

/**
 * Splits messages into chunks of the chunk size this side announced: a type 0 header on the
 * first chunk, type 3 on the rest, extended timestamps where the timestamp needs them. Not
 * thread-safe: one writer per connection.
 */
public final class ChunkWriter {
  private int chunkSize = ChunkReader.DEFAULT_CHUNK_SIZE;

  /** Chunks written from now on carry at most {@code size} bytes of payload each. */
  public void chunkSize(int size) {
    if (size < 1 || size > ChunkReader.MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size " + size);
    }
    chunkSize = size;
  }

  /** Writes {@code m} as chunks into {@code out}. */
  public void write(RtmpMessage m, ByteBuf out) {
    int csid = m.chunkStream();
    long ts = m.timestamp() & 0xFFFFFFFFL;
    boolean extended = ts >= 0xFFFFFF;
    byte[] p = m.payload();
    int offset = 0;
    boolean first = true;
    do {
      basicHeader(first ? 0 : 3, csid, out);
      if (first) {
        out.writeMedium(extended ? 0xFFFFFF : (int) ts);
        out.writeMedium(p.length);
        out.writeByte(m.type());
        out.writeIntLE(m.streamId());
      }
      if (extended) {
        out.writeInt((int) ts);
      }
      int n = Math.min(chunkSize, p.length - offset);
      out.writeBytes(p, offset, n);
      offset += n;
      first = false;
    } while (offset < p.length);
  }

  private static void basicHeader(int fmt, int csid, ByteBuf out) {
    if (csid < 2 || csid > 65_599) {
      throw new IllegalArgumentException("chunk streams are 2 to 65599, not " + csid);
    }
    if (csid < 64) {
      out.writeByte(fmt << 6 | csid);
    } else if (csid < 64 + 256) {
      out.writeByte(fmt << 6);
      out.writeByte(csid - 64);
    } else {
      out.writeByte(fmt << 6 | 1);
      int v = csid - 64;
      out.writeByte(v & 0xFF);
      out.writeByte(v >>> 8);
    }
  }
}
