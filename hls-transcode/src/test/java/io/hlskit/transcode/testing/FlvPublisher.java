package io.hlskit.transcode.testing;

import io.hlskit.transcode.internal.rtmp.amf0.Amf0;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkWriter;
import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A minimal RTMP publisher for tests that need many publishes quickly (memory over cycles): it
 * sends an FLV file's tags as fast as the connection takes them, after the handshake and the
 * commands FFmpeg sends, and unpublishes. Real publishers (FFmpeg, GStreamer) are in {@link
 * LivePublishers}; this one only saves their start-up time.
 */
public final class FlvPublisher {
  private FlvPublisher() {}

  /** Publishes {@code flv} (a whole FLV file) as {@code streamKey} to {@code port}, then leaves. */
  public static void publish(int port, String streamKey, byte[] flv) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] c1 = new byte[1536];
      new Random().nextBytes(c1);
      out.write(3);
      out.write(c1);
      in.readNBytes(1 + 1536 * 2); // S0, S1, S2
      out.write(new byte[1536]); // C2
      Thread drain = new Thread(() -> {
        try {
          in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          // closed
        }
      });
      drain.setDaemon(true);
      drain.start();
      ChunkWriter writer = new ChunkWriter();
      ByteBuf buf = Unpooled.buffer();
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("app", "live");
      props.put("tcUrl", "rtmp://127.0.0.1:" + port + "/live");
      writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, 3,
          Amf0.encode("connect", 1.0, props)), buf);
      writer.write(RtmpMessage.control(RtmpMessage.SET_CHUNK_SIZE, 60_000), buf);
      writer.chunkSize(60_000);
      writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, 3,
          Amf0.encode("createStream", 2.0, Amf0.NULL)), buf);
      writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 1, 0, 8,
          Amf0.encode("publish", 3.0, Amf0.NULL, streamKey, "live")), buf);
      ByteBuffer f = ByteBuffer.wrap(flv);
      f.position(9 + 4); // the FLV header and the first previous-tag size
      while (f.remaining() >= 15) {
        int type = f.get() & 0xFF;
        int size = (f.get() & 0xFF) << 16 | (f.get() & 0xFF) << 8 | (f.get() & 0xFF);
        long ts = (f.get() & 0xFFL) << 16 | (f.get() & 0xFFL) << 8 | (f.get() & 0xFFL);
        ts |= (f.get() & 0xFFL) << 24;
        f.position(f.position() + 3);
        if (f.remaining() < size + 4) {
          break;
        }
        byte[] body = new byte[size];
        f.get(body);
        f.getInt();
        int csid = type == RtmpMessage.AUDIO ? 4 : type == RtmpMessage.VIDEO ? 6 : 5;
        writer.write(new RtmpMessage(type, 1, ts, csid, body), buf);
        if (buf.readableBytes() > 256 * 1024) {
          flush(buf, out);
        }
      }
      writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 1, 0, 8,
          Amf0.encode("deleteStream", 4.0, Amf0.NULL, 1.0)), buf);
      flush(buf, out);
      buf.release();
      // half-close, and read what the server still says until it closes: closing with its
      // answers unread would reset the connection, and a reset drops what it has not read yet
      s.shutdownOutput();
      try {
        drain.join(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void flush(ByteBuf buf, OutputStream out) throws IOException {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    out.write(bytes);
    out.flush();
    buf.clear();
  }
}
