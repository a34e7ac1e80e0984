package io.hlskit.storage.s3;

import io.hlskit.core.store.MediaStore;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Writes and reads back a large object through an {@link S3MediaStore}, run in a JVM whose heap is
 * smaller than the object: it can only succeed if neither direction holds the object whole.
 * Prints the SHA-256 of what was written and of what was read.
 */
public final class BigObjectRoundTrip {
  private BigObjectRoundTrip() {}

  /** Arguments: endpoint, bucket, access key, secret key, size in bytes. */
  public static void main(String[] args) throws Exception {
    long size = Long.parseLong(args[4]);
    try (MediaStore store = S3MediaStore.builder().endpoint(URI.create(args[0])).bucket(args[1])
        .pathStyle(true).region("us-east-1").credentials(args[2], args[3]).build()) {
      MessageDigest written = MessageDigest.getInstance("SHA-256");
      store.write("big/seg.ts", new Generated(size, written));
      MessageDigest read = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      try (InputStream in = store.open("big/seg.ts").orElseThrow().stream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          read.update(buffer, 0, n);
          total += n;
        }
      }
      System.out.println("written " + HexFormat.of().formatHex(written.digest()));
      System.out.println("read " + HexFormat.of().formatHex(read.digest()) + " " + total);
    }
  }

  /** Pseudo-random bytes made on the fly, digested as they go out. */
  private static final class Generated extends InputStream {
    private final Random random = new Random(7);
    private final MessageDigest digest;
    private long remaining;

    Generated(long size, MessageDigest digest) {
      this.remaining = size;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining == 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      byte[] chunk = new byte[n];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, b, off, n);
      digest.update(chunk);
      remaining -= n;
      return n;
    }
  }
}
