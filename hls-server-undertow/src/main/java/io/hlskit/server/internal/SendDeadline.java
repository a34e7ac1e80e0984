package io.hlskit.server.internal;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.Options;
import org.xnio.XnioExecutor;

/**
 * How long an answer may take to send: {@code grace} plus its length at {@code
 * minBytesPerSecond}. A client still reading when that is up is cut off: a reader that
 * trickles (writes keep succeeding, so no write timeout fires) cannot hold the server's
 * connections, files or threads for as long as it likes.
 */
public record SendDeadline(long minBytesPerSecond, Duration grace) {
  private static final Logger LOG = LoggerFactory.getLogger(SendDeadline.class);

  /** 16 KiB/s after 15 s: a 2 MB segment gets two minutes and a half. */
  public static final SendDeadline DEFAULT = new SendDeadline(16 * 1024, Duration.ofSeconds(15));

  public SendDeadline {
    if (minBytesPerSecond < 1) {
      throw new IllegalArgumentException("minBytesPerSecond must be positive: "
          + minBytesPerSecond);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
  }

  /** The time {@code length} bytes may take. */
  long millisFor(long length) {
    return grace.toMillis() + length * 1000 / minBytesPerSecond;
  }

  /** Arms the deadline for an answer of {@code length} bytes; disarmed when it completes. */
  void start(HttpServerExchange exchange, long length) {
    long millis = millisFor(length);
    XnioExecutor.Key key = exchange.getIoThread().executeAfter(() -> {
      if (!exchange.isComplete()) {
        LOG.info("cut off a client of {} still reading {} bytes after {} ms",
            exchange.getRequestPath(), length, millis);
        if (Http2Answers.release(exchange)) {
          return; // the stream alone: the connection carries other clients' answers
        }
        try {
          // a reset: what the socket still holds for the client is dropped, not trickled out
          exchange.getConnection().setOption(Options.CLOSE_ABORT, true);
        } catch (IOException | IllegalArgumentException e) {
          LOG.debug("cannot reset the connection, closing it: {}", e.toString());
        }
        IoUtils.safeClose(exchange.getConnection());
      }
    }, millis, TimeUnit.MILLISECONDS);
    exchange.addExchangeCompleteListener((ex, next) -> {
      key.remove();
      next.proceed();
    });
  }
}
