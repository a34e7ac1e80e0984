package io.hlskit.server.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Request samples handed from the threads that serve to the one that records them. Each serving
 * thread writes into a ring of its own (no lock, no atomic instruction, no cache line another
 * core writes), and {@link #drain} reads every ring on the recording thread. Recording a request
 * in a meter registry touches some eight cache lines that the request's own work has evicted;
 * done here in batches, they stay in the recording thread's cache. A full ring refuses the
 * sample, and the caller records it directly: none is lost.
 */
final class SampleRings {
  /** Receives drained samples, on the thread that called {@link #drain}. */
  interface Sink {
    void accept(int key, long nanos, long bytes);
  }

  /** Samples per ring: 100 ms of a thread serving 40,000 requests/s; a power of two. */
  static final int CAPACITY = 4096;
  /** Keys take the low bits of a slot's first word, the time the rest. */
  static final int KEY_BITS = 12;
  static final int MAX_KEY = (1 << KEY_BITS) - 1;
  private static final long MAX_NANOS = Long.MAX_VALUE >>> KEY_BITS;

  private final ThreadLocal<Ring> mine = ThreadLocal.withInitial(this::newRing);
  private final Queue<Ring> rings = new ConcurrentLinkedQueue<>();

  private Ring newRing() {
    Ring ring = new Ring(Thread.currentThread());
    rings.add(ring);
    return ring;
  }

  /**
   * Hands a sample over from the calling thread.
   *
   * @param key 0 to {@link #MAX_KEY}
   * @return false when this thread's ring is full: record the sample directly
   */
  boolean offer(int key, long nanos, long bytes) {
    return mine.get().offer(key, nanos, bytes);
  }

  /**
   * Passes every sample offered so far to {@code sink}, and forgets the rings of threads that
   * ended. One thread at a time.
   *
   * @return the most samples one ring held, which tells how soon the next drain is due
   */
  synchronized int drain(Sink sink) {
    int most = 0;
    for (Iterator<Ring> it = rings.iterator(); it.hasNext(); ) {
      Ring ring = it.next();
      boolean ended = ring.owner.get() == null || !ring.owner.get().isAlive();
      most = Math.max(most, ring.drain(sink)); // after the check: an ended thread's are all there
      if (ended) {
        it.remove();
      }
    }
    return most;
  }

  /** Rings of threads that recorded, until drained after their end. */
  int ringCount() {
    return rings.size();
  }

  /** One thread's samples: single writer (the thread), single reader (the drainer). */
  private static final class Ring {
    private static final VarHandle WRITTEN;
    private static final VarHandle READ;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        WRITTEN = lookup.findVarHandle(Ring.class, "written", long.class);
        READ = lookup.findVarHandle(Ring.class, "read", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final WeakReference<Thread> owner;
    /** Two words a sample: time and key, bytes. */
    private final long[] slots = new long[CAPACITY * 2];
    /** Samples written; the writer's, published with release. */
    private long written;
    /** The writer's last look at {@link #read}, so that it reads the drainer's field rarely. */
    private long readSeen;
    /** Samples read; the drainer's, published with release. */
    private long read;

    Ring(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    boolean offer(int key, long nanos, long bytes) {
      long w = written;
      if (w - readSeen >= CAPACITY) {
        readSeen = (long) READ.getAcquire(this);
        if (w - readSeen >= CAPACITY) {
          return false;
        }
      }
      int i = (int) (w & (CAPACITY - 1)) << 1;
      slots[i] = Math.min(Math.max(nanos, 0), MAX_NANOS) << KEY_BITS | key;
      slots[i + 1] = bytes;
      WRITTEN.setRelease(this, w + 1);
      return true;
    }

    int drain(Sink sink) {
      long w = (long) WRITTEN.getAcquire(this);
      long r = read;
      int n = (int) (w - r);
      for (; r < w; r++) {
        int i = (int) (r & (CAPACITY - 1)) << 1;
        long first = slots[i];
        sink.accept((int) (first & MAX_KEY), first >>> KEY_BITS, slots[i + 1]);
      }
      READ.setRelease(this, r);
      return n;
    }
  }
}
