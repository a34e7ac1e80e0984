package io.hlskit.server.internal;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.xnio.IoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends part of a file over an encrypted connection (TLS, HTTP/2) in large chunks: each is read
 * into one buffer and handed to the response sender, which encrypts it into full TLS records
 * and, on HTTP/2, full DATA frames; the next chunk is read when it has gone, on the I/O thread,
 * so a slow reader holds no worker thread. Undertow's own file transfer takes 8 KB at a time
 * there, each a hand-off between a worker and the I/O thread, which cost five times nginx's CPU
 * per segment; {@code sendfile} cannot be used under TLS anyway.
 */
final class FileChunks implements IoCallback {
  private static final Logger LOG = LoggerFactory.getLogger(FileChunks.class);
  /** Sixteen TLS records' worth: the sender writes them in one go. */
  static final int CHUNK = 256 * 1024;
  /**
   * The first chunk: one TLS record. Chunks double while the reader keeps up, so a stream that
   * never drains (reset, or a window that never opens) holds 16 KB, not 256, until its
   * deadline.
   */
  static final int FIRST_CHUNK = 16 * 1024;

  private final FileChannel file;
  private ByteBuffer buffer;
  private long position;
  private long remaining;

  private FileChunks(FileChannel file, long start, long length) {
    this.file = file;
    this.buffer = ByteBuffer.allocate((int) Math.min(FIRST_CHUNK, Math.max(1, length)));
    this.position = start;
    this.remaining = length;
  }

  /** Starts sending {@code length} bytes of {@code path} from {@code start}; returns at once. */
  static void send(HttpServerExchange exchange, Path path, long start, long length)
      throws IOException {
    FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
    FileChunks chunks = new FileChunks(file, start, length);
    try {
      chunks.next(exchange.getResponseSender());
    } catch (IOException | RuntimeException e) {
      IoUtils.safeClose(file);
      throw e;
    }
  }

  private void next(Sender sender) throws IOException {
    buffer.clear();
    buffer.limit((int) Math.min(buffer.capacity(), remaining));
    while (buffer.hasRemaining()) {
      int n = file.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new EOFException("the file ended " + (remaining - buffer.position())
            + " bytes early");
      }
    }
    buffer.flip();
    position += buffer.remaining();
    remaining -= buffer.remaining();
    sender.send(buffer, this);
  }

  @Override
  public void onComplete(HttpServerExchange exchange, Sender sender) {
    if (remaining == 0) {
      IoUtils.safeClose(file);
      IoCallback.END_EXCHANGE.onComplete(exchange, sender);
      return;
    }
    if (buffer.capacity() < CHUNK && remaining > buffer.capacity()) {
      buffer = ByteBuffer.allocate((int) Math.min(CHUNK, 2L * buffer.capacity()));
    }
    try {
      next(sender);
    } catch (IOException e) {
      onException(exchange, sender, e);
    }
  }

  @Override
  public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
    IoUtils.safeClose(file);
    LOG.debug("sending {} failed: {}", exchange.getRequestPath(), e.toString());
    // on HTTP/2, the stream's alone: a RST_STREAM, also when the client reset it first. Keep
    // it: Undertow closes a connection past 200 resets sent in 30 s, which is what cuts off a
    // client resetting streams in a storm (past 200 received, it only sends GOAWAY)
    IoUtils.safeClose(exchange.getConnection());
  }
}
