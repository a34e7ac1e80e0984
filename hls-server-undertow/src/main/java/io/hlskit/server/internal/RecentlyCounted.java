package io.hlskit.server.internal;

/**
 * The players each serving thread counted lately, so that a player's next requests are known as
 * already counted with one look at a small table of the thread's own. A player fetches the same
 * channel over the same connection again and again; what made it one player (connection,
 * channel, credentials) is reduced to a 64-bit key. A record hung on each connection would be
 * out of the cache at every request once connections are many (several dependent misses each);
 * this table is a few kilobytes that every request touches.
 *
 * <p>Each thread's table starts with 64 sets of 8 keys; a full set replaces its oldest key, and
 * when that key was still fresh (more players than the table holds) the table doubles, up to
 * {@value #MAX_SETS} sets. A key that falls out, or that another thread counted, is counted again:
 * only a look-up more. Two connections whose identity hashes are equal and that fetch the same
 * channel with the same credentials share a key: the second player is then counted only once the
 * first stops (a chance of about 2^-31 per pair of connections). On one connection, two channels
 * or session parameters are told apart by a 64-bit hash, two cookie headers by their 32-bit hash
 * code.
 */
final class RecentlyCounted {
  private static final int WAYS = 8;
  private static final int FIRST_SETS = 64;
  /** 16,384 keys, 256 KB: a thread's sets start to give up fresh keys from some 3,000 players. */
  static final int MAX_SETS = 2048;
  private static final long EMPTY = 0;

  private final long freshNanos;
  private final ThreadLocal<Table> tables = ThreadLocal.withInitial(() -> new Table(FIRST_SETS));

  /** @param freshNanos how long a count stands before the player is counted again */
  RecentlyCounted(long freshNanos) {
    this.freshNanos = freshNanos;
  }

  /** Whether the calling thread counted {@code key} less than the fresh time before {@code now}. */
  boolean isFresh(long key, long now) {
    Table table = tables.get();
    long[] slots = table.slots;
    for (int i = table.set(key), end = i + WAYS * 2; i < end; i += 2) {
      if (slots[i] == key) {
        return now - slots[i + 1] < freshNanos;
      }
    }
    return false;
  }

  /** The calling thread counted {@code key} at {@code now}. */
  void counted(long key, long now) {
    Table table = tables.get();
    while (!table.put(key, now, freshNanos, table.sets() < MAX_SETS)) {
      Table bigger = new Table(table.sets() * 2);
      table.copyFresh(bigger, now, freshNanos);
      tables.set(bigger);
      table = bigger;
    }
  }

  /** Sets in the calling thread's table. */
  int sets() {
    return tables.get().sets();
  }

  /** One thread's keys and times, a set's slots next to each other. */
  private static final class Table {
    final long[] slots;
    final int shift;

    Table(int sets) {
      slots = new long[sets * WAYS * 2];
      shift = 64 - Integer.numberOfTrailingZeros(sets);
    }

    int sets() {
      return slots.length / (WAYS * 2);
    }

    int set(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift) * WAYS * 2; // the top bits pick it
    }

    /**
     * Stores the key in the place of its own, an empty one or the oldest in its set; false, with
     * nothing stored, if that was a key still fresh and {@code mayRefuse}.
     */
    boolean put(long key, long now, long freshNanos, boolean mayRefuse) {
      int start = set(key);
      int slot = start;
      long oldest = -1; // age of the key replaced; -1 for none
      for (int i = start, end = start + WAYS * 2; i < end; i += 2) {
        if (slots[i] == key || slots[i] == EMPTY) {
          slot = i;
          oldest = -1;
          break;
        }
        if (now - slots[i + 1] > oldest) {
          oldest = now - slots[i + 1];
          slot = i;
        }
      }
      if (mayRefuse && oldest >= 0 && oldest < freshNanos) {
        return false;
      }
      slots[slot] = key;
      slots[slot + 1] = now;
      return true;
    }

    /** Puts this table's fresh keys into {@code to}, as they were. */
    void copyFresh(Table to, long now, long freshNanos) {
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] != EMPTY && now - slots[i + 1] < freshNanos) {
          to.put(slots[i], slots[i + 1], freshNanos, false);
        }
      }
    }
  }

  /**
   * The key of a player: its connection's identity hash in the high half, with the channel and
   * the credentials hashed over all 64 bits. Never {@code EMPTY}.
   *
   * @param path a request path with the channel between {@code from} and {@code to}
   */
  static long key(Object connection, String path, int from, int to, String parameter,
      String cookies, Object address) {
    long h = fnv(0xcbf29ce484222325L, path, from, to);
    h = mix(parameter == null ? h : fnv(h ^ 1, parameter, 0, parameter.length()));
    h = mix(h ^ (cookies == null ? 2 : cookies.hashCode()));
    h = mix(h ^ (address == null ? 3 : address.hashCode()));
    h ^= (long) System.identityHashCode(connection) << 32;
    return h == EMPTY ? 1 : h;
  }

  private static long fnv(long h, String s, int from, int to) { // FNV-1a over the characters
    for (int i = from; i < to; i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long h) { // a 64-bit finalizer (murmur3's): every bit moves every bit
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb93fe53ecd53L;
    return h ^ (h >>> 33);
  }
}
