package io.hlskit.storage.s3.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GET that aborts the connection when closed before its end, rather than letting
 * the HTTP client drain the rest of a large object (a player that seeks away mid-segment).
 */
public final class AbortingInputStream extends FilterInputStream {
  private final ResponseInputStream<?> response;
  private long remaining;

  /** Wraps {@code response}, whose body is {@code length} bytes long. */
  public AbortingInputStream(ResponseInputStream<?> response, long length) {
    super(response);
    this.response = response;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      remaining--;
    } else {
      remaining = 0;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      remaining -= n;
    } else if (n < 0) {
      remaining = 0;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    remaining -= skipped;
    return skipped;
  }

  @Override
  public void close() throws IOException {
    if (remaining > 0) {
      response.abort();
    }
    super.close();
  }
}
