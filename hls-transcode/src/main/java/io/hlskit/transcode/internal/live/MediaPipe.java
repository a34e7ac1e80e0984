package io.hlskit.transcode.internal.live;

import io.hlskit.transcode.internal.rtmp.MediaSink;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of one publisher between its connection (which writes) and its pipeline's libav
 * reader (which reads, blocking): bounded, so that a pipeline behind real time slows the
 * publisher's TCP down rather than filling the heap. Thread-safe: one writer, one reader.
 */
public final class MediaPipe implements MediaSink {
  private final long capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private byte[] head;
  private int headOffset;
  private long queued;
  private long total;
  private boolean ended;
  private boolean clean;
  private Runnable resume;
  private boolean stopped;
  private Runnable onStop;

  /** @param capacity how many bytes it holds before the writer is told to stop */
  public MediaPipe(long capacity) {
    this.capacity = capacity;
  }

  @Override
  public boolean write(byte[] flv) {
    lock.lock();
    try {
      if (ended) {
        return true;
      }
      chunks.add(flv);
      queued += flv.length;
      total += flv.length;
      readable.signal();
      return queued < capacity;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onDrained(Runnable r) {
    Runnable now = null;
    lock.lock();
    try {
      if (queued < capacity / 2 || ended) {
        now = r;
      } else {
        resume = r;
      }
    } finally {
      lock.unlock();
    }
    if (now != null) {
      now.run();
    }
  }

  @Override
  public void end(boolean cleanly) {
    lock.lock();
    try {
      if (!ended) {
        ended = true;
        clean = cleanly;
        readable.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onStopped(Runnable close) {
    boolean now;
    lock.lock();
    try {
      now = stopped;
      if (!now) {
        onStop = close;
      }
    } finally {
      lock.unlock();
    }
    if (now) {
      close.run();
    }
  }

  /**
   * The reader's side stops: what is queued is dropped, reads answer the end at once, and the
   * publisher's connection is told to close. Idempotent.
   */
  public void stop() {
    Runnable r;
    lock.lock();
    try {
      if (stopped) {
        return;
      }
      // a publisher that left already closes its connection itself, in its own time
      boolean publisherGone = ended;
      stopped = true;
      ended = true;
      chunks.clear();
      head = null;
      queued = 0;
      r = publisherGone ? null : onStop;
      onStop = null;
      readable.signalAll();
    } finally {
      lock.unlock();
    }
    if (r != null) {
      r.run();
    }
  }

  /** Whether the publisher unpublished, rather than dropped; meaningful once ended. */
  public boolean endedCleanly() {
    lock.lock();
    try {
      return clean;
    } finally {
      lock.unlock();
    }
  }

  /** The bytes written so far. */
  public long total() {
    lock.lock();
    try {
      return total;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads up to {@code length} bytes into {@code into}, waiting for some.
   *
   * @return how many were read, or -1 at the end: the publisher is gone and everything it sent
   *     has been read, or nothing came for {@code timeoutMillis}
   */
  public int read(byte[] into, int length, long timeoutMillis) throws InterruptedException {
    Runnable r = null;
    int n;
    lock.lockInterruptibly();
    try {
      long wait = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (head == null && chunks.isEmpty()) {
        if (ended || wait <= 0) {
          return -1;
        }
        wait = readable.awaitNanos(wait);
      }
      if (head == null) {
        head = chunks.poll();
        headOffset = 0;
      }
      n = Math.min(length, head.length - headOffset);
      System.arraycopy(head, headOffset, into, 0, n);
      headOffset += n;
      if (headOffset == head.length) {
        head = null;
      }
      queued -= n;
      if (resume != null && queued < capacity / 2) {
        r = resume;
        resume = null;
      }
    } finally {
      lock.unlock();
    }
    if (r != null) {
      r.run();
    }
    return n;
  }
}
