package io.hlskit.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/2 client for abuse tests: writes frames as a hostile client would (RFC 9113), with
 * headers in HPACK's literal forms, and counts what the server sends back on a reader thread
 * that, unless told to stall, drains the connection.
 */
final class H2Connection implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;

  private final SSLSocket socket;
  private final OutputStream out;
  private final String authority;
  private final Thread reader;
  final AtomicInteger[] received = new AtomicInteger[16];
  final AtomicLong dataBytes = new AtomicLong();
  /** Each DATA frame's payload length, in the order received. */
  final java.util.Queue<Integer> dataFrameLengths =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  final AtomicBoolean closedByServer = new AtomicBoolean();
  /** The error code of the last GOAWAY received (RFC 9113, 7), -1 before any. */
  final AtomicInteger goAwayError = new AtomicInteger(-1);
  /** Each response head's first HPACK byte: 0x88 is {@code :status 200} (static table 8). */
  final java.util.Queue<Integer> firstHeaderBytes =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private int nextStream = 1;

  /**
   * Connects with ALPN h2 and sends the preface and {@code settings} (pairs of id and value).
   *
   * @param read whether the reader thread drains what the server sends (false: never reads)
   */
  H2Connection(SSLContext trust, int port, boolean read, int... settings) throws IOException {
    socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    SSLParameters p = socket.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(p);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) {
      throw new IOException("the server did not choose h2: " + socket.getApplicationProtocol());
    }
    authority = "127.0.0.1:" + port;
    out = socket.getOutputStream();
    for (int i = 0; i < received.length; i++) {
      received[i] = new AtomicInteger();
    }
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    for (int i = 0; i < settings.length; i += 2) {
      s.write(settings[i] >> 8);
      s.write(settings[i]);
      writeInt(s, settings[i + 1]);
    }
    frame(SETTINGS, 0, 0, s.toByteArray());
    reader = new Thread(this::read, "h2-reader");
    reader.setDaemon(true);
    if (read) {
      reader.start();
    }
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        in.readInt();
        if (type == GOAWAY && length >= 8) {
          in.readInt();
          goAwayError.set(in.readInt());
          in.skipNBytes(length - 8);
        } else if (type == HEADERS && length > 0) {
          firstHeaderBytes.add(in.readUnsignedByte());
          in.skipNBytes(length - 1);
        } else {
          in.skipNBytes(length);
        }
        received[Math.min(type, 15)].incrementAndGet();
        if (type == DATA) {
          dataFrameLengths.add(length);
          dataBytes.addAndGet(length);
        }
        if (type == SETTINGS && (flags & ACK) == 0) {
          synchronized (this) {
            frame(SETTINGS, ACK, 0, new byte[0]);
          }
        }
      }
    } catch (EOFException e) {
      closedByServer.set(true);
    } catch (IOException e) {
      closedByServer.set(true);
    }
  }

  /** Writes one frame. */
  synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] head = {(byte) (payload.length >> 16), (byte) (payload.length >> 8),
        (byte) payload.length, (byte) type, (byte) flags, (byte) (stream >> 24),
        (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream};
    out.write(head);
    out.write(payload);
  }

  /** Opens a stream with a GET of {@code path} (and {@code extra} name/value pairs); its id. */
  int get(String path, List<String> extra, int flags) throws IOException {
    int stream = nextStream;
    nextStream += 2;
    frame(HEADERS, flags, stream, headers(path, extra));
    return stream;
  }

  /** A GET's header block: HPACK literals without indexing, with plain (not Huffman) strings. */
  byte[] headers(String path, List<String> extra) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x82); // :method GET (static table 2)
    b.write(0x87); // :scheme https (static table 7)
    literal(b, 4, path); // :path, name from static table 4
    literal(b, 1, authority); // :authority, static table 1
    for (int i = 0; i < extra.size(); i += 2) {
      b.write(0x00); // literal without indexing, new name
      string(b, extra.get(i));
      string(b, extra.get(i + 1));
    }
    return b.toByteArray();
  }

  private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
    integer(b, 0x00, 4, nameIndex);
    string(b, value);
  }

  private static void string(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    integer(b, 0x00, 7, bytes.length);
    b.writeBytes(bytes);
  }

  /** HPACK's integer with an N-bit prefix (RFC 7541, 5.1). */
  private static void integer(ByteArrayOutputStream b, int high, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      b.write(high | value);
      return;
    }
    b.write(high | max);
    value -= max;
    while (value >= 128) {
      b.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    b.write(value);
  }

  void rst(int stream) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, 0x8); // CANCEL
    frame(RST_STREAM, 0, stream, b.toByteArray());
  }

  /** Opens the connection's flow-control window (stream 0) by {@code increment} bytes. */
  void windowUpdate(int increment) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, increment);
    frame(WINDOW_UPDATE, 0, 0, b.toByteArray());
  }

  void ping(long data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    writeInt(b, (int) (data >> 32));
    writeInt(b, (int) data);
    frame(PING, 0, 0, b.toByteArray());
  }

  private static void writeInt(ByteArrayOutputStream b, int v) {
    b.write(v >>> 24);
    b.write(v >>> 16);
    b.write(v >>> 8);
    b.write(v);
  }

  int received(int type) {
    return received[type].get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
