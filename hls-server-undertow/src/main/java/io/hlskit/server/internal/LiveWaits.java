package io.hlskit.server.internal;

import io.hlskit.core.live.LiveEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The live edges this server knows, and the requests waiting for one to move: a blocking
 * playlist reload waits for its part, a preload hint's request for the next part. Every
 * position announced on the {@link LiveEdge} (this instance's pipeline or, through a backend,
 * another instance's) is remembered and wakes the waits it satisfies; a wait that is not
 * satisfied in time is told so.
 *
 * <p>Thread-safe. Callbacks run on the announcing thread or the timer's and must only hand the
 * work on.
 */
public final class LiveWaits implements AutoCloseable {
  private final Map<String, LiveEdge.Position> latest = new ConcurrentHashMap<>();
  private final Map<String, List<Wait>> waits = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final LiveEdge.Registration registration;
  private final Consumer<String> changed;

  private final class Wait {
    final String key;
    final Predicate<LiveEdge.Position> until;
    final Consumer<Boolean> then;
    final AtomicBoolean done = new AtomicBoolean();
    ScheduledFuture<?> timeout;

    Wait(String key, Predicate<LiveEdge.Position> until, Consumer<Boolean> then) {
      this.key = key;
      this.until = until;
      this.then = then;
    }

    void finish(boolean satisfied) {
      if (done.compareAndSet(false, true)) {
        if (timeout != null) {
          timeout.cancel(false);
        }
        then.accept(satisfied);
      }
    }
  }

  /**
   * @param changed told the playlist key of each announced position, so that a cache of it is
   *     dropped
   */
  public LiveWaits(LiveEdge edge, ScheduledExecutorService timer, Consumer<String> changed) {
    this.timer = timer;
    this.changed = changed;
    this.registration = edge.listen(this::moved);
  }

  /** The last position of playlist {@code key} heard of, if any. */
  public Optional<LiveEdge.Position> position(String key) {
    return Optional.ofNullable(latest.get(key));
  }

  /** Remembers a position read from the store, unless a later one was announced. */
  public void remember(LiveEdge.Position p) {
    latest.merge(p.playlistKey(), p, (old, now) -> later(now, old) ? now : old);
  }

  private static boolean later(LiveEdge.Position a, LiveEdge.Position b) {
    if (a.ended() != b.ended()) {
      return a.ended();
    }
    if (a.msn() != b.msn()) {
      return a.msn() > b.msn();
    }
    if (a.part() != b.part()) {
      return a.part() > b.part();
    }
    return a.complete() && !b.complete();
  }

  private void moved(LiveEdge.Position p) {
    String key = p.playlistKey();
    latest.put(key, p);
    changed.accept(key);
    List<Wait> list = waits.get(key);
    if (list == null) {
      return;
    }
    List<Wait> woken = new ArrayList<>();
    synchronized (list) {
      list.removeIf(w -> {
        boolean go = w.done.get() || w.until.test(p);
        if (go) {
          woken.add(w);
        }
        return go;
      });
    }
    woken.forEach(w -> w.finish(true));
  }

  /**
   * Calls {@code then} with true once a position of playlist {@code key} satisfies {@code until}
   * (at once when the last one known does), or with false after {@code timeoutNanos}.
   */
  public void await(String key, Predicate<LiveEdge.Position> until, long timeoutNanos,
      Consumer<Boolean> then) {
    Wait w = new Wait(key, until, then);
    List<Wait> list = waits.computeIfAbsent(key, k -> new ArrayList<>());
    synchronized (list) {
      list.add(w);
    }
    LiveEdge.Position now = latest.get(key);
    if (now != null && until.test(now)) {
      remove(w);
      w.finish(true);
      return;
    }
    w.timeout = timer.schedule(() -> {
      remove(w);
      w.finish(false);
    }, timeoutNanos, TimeUnit.NANOSECONDS);
    if (w.done.get()) {
      w.timeout.cancel(false); // woken between the check and the timer
    }
  }

  private void remove(Wait w) {
    List<Wait> list = waits.get(w.key);
    if (list != null) {
      synchronized (list) {
        list.remove(w);
      }
    }
  }

  /** How many requests wait now, for metrics and tests. */
  public int waiting() {
    int n = 0;
    for (List<Wait> l : waits.values()) {
      synchronized (l) {
        n += l.size();
      }
    }
    return n;
  }

  @Override
  public void close() {
    registration.close();
    for (List<Wait> l : waits.values()) {
      List<Wait> copy;
      synchronized (l) {
        copy = new ArrayList<>(l);
        l.clear();
      }
      copy.forEach(w -> w.finish(false));
    }
  }
}
