package io.hlskit.server.internal;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends a whole file over a plain connection with {@code sendfile}, continuing on the I/O
 * thread whenever the socket drains, as nginx does. Undertow's own {@code Sender.transferFrom}
 * hands every file transfer to a worker thread, and each continuation again: two context
 * switches a request that cost a third of the CPU of a 200 KB segment. A file not in the page
 * cache then makes the I/O thread wait for the disk; a segment server's working set is.
 *
 * <p>On a corked connection the head goes out alone first, then the whole file by
 * {@code sendfile}, as nginx sends them. Otherwise Undertow writes the head together with the
 * file's first 16 KB, read through the heap: uncorked, that saves a small packet of its own.
 */
final class FileSend implements ChannelListener<StreamSinkChannel> {
  private static final Logger LOG = LoggerFactory.getLogger(FileSend.class);

  private final HttpServerExchange exchange;
  private final FileChannel file;
  private final long size;
  private long position;
  /** Whether the head is yet to be written alone (corked connections only). */
  private boolean headFirst;

  private FileSend(HttpServerExchange exchange, FileChannel file, long size, boolean headFirst) {
    this.exchange = exchange;
    this.file = file;
    this.size = size;
    this.headFirst = headFirst;
  }

  /**
   * Starts sending the first {@code size} bytes of {@code file} (its size when the headers were
   * made); returns at once. The file is closed, and {@code afterwards} run, when the exchange
   * completes, however it completes.
   *
   * @param corked whether the connection is corked ({@link TcpCork}): the head is then written
   *     alone, and the kernel joins it to the file's first bytes
   */
  static void send(HttpServerExchange exchange, FileChannel file, long size, boolean corked,
      Runnable afterwards) throws IOException {
    exchange.addExchangeCompleteListener((ex, next) -> {
      IoUtils.safeClose(file);
      afterwards.run();
      next.proceed();
    });
    new FileSend(exchange, file, size, corked).handleEvent(exchange.getResponseChannel());
  }

  @Override
  public void handleEvent(StreamSinkChannel channel) {
    try {
      if (headFirst) {
        if (!channel.flush()) { // the head waits in the conduit: go on when the socket drains
          channel.getWriteSetter().set(this);
          channel.resumeWrites();
          return;
        }
        headFirst = false;
      }
      while (position < size) {
        long n = channel.transferFrom(file, position, size - position);
        if (n == 0) { // the socket is full: go on when it drains
          channel.getWriteSetter().set(this);
          channel.resumeWrites();
          return;
        }
        position += n;
      }
      channel.suspendWrites();
      channel.getWriteSetter().set(null);
      exchange.endExchange(); // flushes what the conduits hold, then completes
    } catch (IOException e) {
      LOG.debug("sending {} failed: {}", exchange.getRequestPath(), e.toString());
      IoUtils.safeClose(exchange.getConnection());
    }
  }
}
