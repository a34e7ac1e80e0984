package io.hlskit.transcode.internal.rtmp.chunk;

import io.hlskit.transcode.internal.rtmp.RtmpProtocolException;
import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reassembles RTMP messages from the chunks a peer sends: basic headers of 1 to 3 bytes, message
 * headers of types 0 to 3, extended timestamps, and messages split over chunks of the peer's
 * chunk size, interleaved across chunk streams. Set Chunk Size and Abort are acted on here, as
 * they change how the next chunks read; every message, those two included, is handed on.
 *
 * <p>Bounded: a message longer than {@code maxMessage}, a chunk size above {@link
 * #MAX_CHUNK_SIZE}, more than {@link #MAX_OPEN_STREAMS} messages half received at once, or more
 * than {@code maxMessage} bytes held for them in all is an {@link RtmpProtocolException}. Not
 * thread-safe: one reader per connection, fed in order.
 */
public final class ChunkReader {
  /** The chunk size every connection starts with. */
  public static final int DEFAULT_CHUNK_SIZE = 128;
  /** The largest chunk size a peer may set: 16 MiB, the most one message may be long. */
  public static final int MAX_CHUNK_SIZE = 0xFFFFFF;
  /** How many chunk streams may have a message half received at once. */
  public static final int MAX_OPEN_STREAMS = 64;

  private final int maxMessage;
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private final Map<Integer, Stream> streams = new HashMap<>();
  private long held;

  /** What a chunk stream remembers of its last header, and the message it is receiving. */
  private static final class Stream {
    long timestamp;
    long delta;
    int length;
    int type;
    int streamId;
    boolean extended;
    byte[] partial;
    int received;
  }

  /** @param maxMessage the longest message taken, in bytes */
  public ChunkReader(int maxMessage) {
    if (maxMessage < 1 || maxMessage > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("maxMessage must be 1 to 16 MiB: " + maxMessage);
    }
    this.maxMessage = maxMessage;
  }

  /** The peer's chunk size now. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Reads every whole chunk in {@code in}, handing each message it completes to {@code out};
   * leaves a chunk cut short unread (its reader index where the chunk starts) for the next call.
   *
   * @throws RtmpProtocolException when the bytes break the protocol or a limit
   */
  public void read(ByteBuf in, Consumer<RtmpMessage> out) {
    read(in, out, () -> false);
  }

  /**
   * As {@link #read(ByteBuf, Consumer)}, stopping before the next chunk once {@code pause} says
   * so: a connection that must decide on a message (a publish) before reading on leaves the rest
   * in {@code in} for later.
   */
  public void read(ByteBuf in, Consumer<RtmpMessage> out, BooleanSupplier pause) {
    while (!pause.getAsBoolean()) {
      int start = in.readerIndex();
      if (!readChunk(in, out)) {
        in.readerIndex(start);
        return;
      }
    }
  }

  private boolean readChunk(ByteBuf in, Consumer<RtmpMessage> out) {
    if (!in.isReadable()) {
      return false;
    }
    int first = in.readUnsignedByte();
    int fmt = first >>> 6;
    int csid = first & 0x3F;
    if (csid == 0) {
      if (!in.isReadable()) {
        return false;
      }
      csid = 64 + in.readUnsignedByte();
    } else if (csid == 1) {
      if (in.readableBytes() < 2) {
        return false;
      }
      csid = 64 + in.readUnsignedByte() + in.readUnsignedByte() * 256;
    }
    int headerLength = switch (fmt) {
      case 0 -> 11;
      case 1 -> 7;
      case 2 -> 3;
      default -> 0;
    };
    if (in.readableBytes() < headerLength) {
      return false;
    }
    Stream s = streams.get(csid);
    if (s == null && fmt != 0) {
      throw new RtmpProtocolException("chunk stream " + csid + " starts with a header of type "
          + fmt + "; its first chunk must carry a full header (type 0)");
    }
    boolean isNew = s == null;
    if (isNew) {
      if (streams.size() >= 4 * MAX_OPEN_STREAMS) {
        throw new RtmpProtocolException("more than " + 4 * MAX_OPEN_STREAMS + " chunk streams");
      }
      s = new Stream();
    }
    long field = 0;
    int length = s.length;
    int type = s.type;
    int streamId = s.streamId;
    if (fmt <= 2) {
      field = in.readUnsignedMedium();
    }
    if (fmt <= 1) {
      length = in.readUnsignedMedium();
      type = in.readUnsignedByte();
    }
    if (fmt == 0) {
      streamId = in.readIntLE();
    }
    boolean extended = fmt <= 2 ? field == 0xFFFFFF : s.extended;
    if (extended) {
      if (in.readableBytes() < 4) {
        return false;
      }
      long ext = in.readUnsignedInt();
      if (fmt <= 2) {
        field = ext;
      }
    }
    // the header is whole: from here on, the stream's state changes
    boolean continuing = fmt == 3 && s.partial != null;
    if (!continuing) {
      if (s.partial != null) {
        throw new RtmpProtocolException("chunk stream " + csid + " starts a new message before"
            + " the last one (" + s.received + " of " + s.length + " bytes) ended");
      }
      if (length > maxMessage) {
        throw new RtmpProtocolException("a message of " + length + " bytes on chunk stream "
            + csid + ", more than the " + maxMessage + " taken");
      }
    }
    int take = continuing ? Math.min(chunkSize, s.length - s.received)
        : Math.min(chunkSize, length);
    if (in.readableBytes() < take) {
      return false;
    }
    if (isNew) {
      streams.put(csid, s);
    }
    if (!continuing) {
      switch (fmt) {
        case 0 -> {
          // a type 3 header after this one adds the same again, as FFmpeg and librtmp read it
          s.timestamp = field;
          s.delta = field;
        }
        case 1, 2 -> {
          s.delta = field;
          s.timestamp = (s.timestamp + field) & 0xFFFFFFFFL;
        }
        default -> s.timestamp = (s.timestamp + s.delta) & 0xFFFFFFFFL;
      }
      s.length = length;
      s.type = type;
      s.streamId = streamId;
      s.extended = extended;
      if (openMessages() >= MAX_OPEN_STREAMS) {
        throw new RtmpProtocolException("more than " + MAX_OPEN_STREAMS + " messages half"
            + " received at once");
      }
      if (held + length > maxMessage) {
        throw new RtmpProtocolException("more than " + maxMessage + " bytes of messages half"
            + " received at once");
      }
      s.partial = new byte[length];
      s.received = 0;
      held += length;
    }
    in.readBytes(s.partial, s.received, take);
    s.received += take;
    if (s.received == s.length) {
      byte[] payload = s.partial;
      s.partial = null;
      held -= payload.length;
      RtmpMessage m = new RtmpMessage(s.type, s.streamId, s.timestamp, csid, payload);
      control(m);
      out.accept(m);
    }
    return true;
  }

  private int openMessages() {
    int n = 0;
    for (Stream s : streams.values()) {
      if (s.partial != null) {
        n++;
      }
    }
    return n;
  }

  /** Acts on what changes how chunks read: the peer's chunk size, an aborted message. */
  private void control(RtmpMessage m) {
    if (m.streamId() != 0 && m.type() <= RtmpMessage.ABORT) {
      return;
    }
    if (m.type() == RtmpMessage.SET_CHUNK_SIZE) {
      long size = m.u32(0);
      if (size < 1 || size > MAX_CHUNK_SIZE) {
        throw new RtmpProtocolException("chunk size " + size + " asked for; 1 to "
            + MAX_CHUNK_SIZE + " bytes are taken");
      }
      chunkSize = (int) size;
    } else if (m.type() == RtmpMessage.ABORT) {
      long csid = m.u32(0);
      Stream s = streams.get((int) csid);
      if (s != null && s.partial != null) {
        held -= s.partial.length;
        s.partial = null;
      }
    }
  }
}
