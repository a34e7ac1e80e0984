package io.hlskit.core.channel;

import io.hlskit.core.internal.RepeatedFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ChannelCatalog} a {@link io.hlskit.core.store.MediaStore} implementation owns, for
 * those who write one. The store reports what it publishes and deletes itself with {@link
 * #published} and {@link #removed}, which show at once; an optional {@link Scan} finds what
 * changed outside the store. The scan runs on a daemon thread of the registry's every interval,
 * from the first read of the list on (a store opened only to write never scans), and on {@link
 * #refresh()}.
 *
 * <p>A scan that began before the store reported a channel cannot undo that report: what it read
 * of that channel is older, and is ignored.
 *
 * <p>Thread-safe. Listeners are called on one daemon thread of the registry's, in the order the
 * changes happened.
 */
public final class ChannelRegistry implements ChannelCatalog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);

  /** Newest first, then by id: the order of the feed. */
  private static final Comparator<ChannelMetadata> ORDER =
      Comparator.comparing(ChannelMetadata::created).reversed()
          .thenComparing(ChannelMetadata::id);

  /**
   * Finds every channel in storage as it is now, for changes made outside the store.
   */
  @FunctionalInterface
  public interface Scan {
    /**
     * Every channel present now, by id. A channel that cannot be read is left out (and logged);
     * storage that cannot be read at all throws, and the list stays as it was.
     *
     * @param thorough true on the first scan, on {@link ChannelRegistry#refresh()} and every
     *     {@link Builder#thoroughEvery} timed scans: a scan may skip re-reading channels it knows
     *     when it is not thorough
     */
    Map<String, ChannelMetadata> scan(boolean thorough);
  }

  private final Map<String, ChannelMetadata> channels = new ConcurrentHashMap<>();
  private final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();
  /** The change counter when the store last reported each id; guarded by this. */
  private final Map<String, Long> reported = new HashMap<>();
  private long changes;
  private final Scan scan;
  private final String name;
  private final Duration interval;
  private final int thoroughEvery;
  private final Runnable housekeeping;
  private final long housekeepingNanos;
  /** When housekeeping last ran (nanoTime); on the timer's thread. */
  private long lastHousekeeping = System.nanoTime();
  private final Object scanLock = new Object();
  private final RepeatedFailure scanFailures = new RepeatedFailure(Duration.ofMinutes(1));
  private final RepeatedFailure housekeepingFailures = new RepeatedFailure(Duration.ofMinutes(1));
  private long scans;
  private volatile boolean started;
  private volatile boolean closed;
  private ScheduledExecutorService timer;
  private ExecutorService events;

  private ChannelRegistry(Builder b) {
    this.scan = b.scan;
    this.name = b.name;
    this.interval = b.interval;
    this.thoroughEvery = b.thoroughEvery;
    this.housekeeping = b.housekeeping;
    this.housekeepingNanos = b.housekeepingEvery.toNanos();
  }

  /** A registry that knows only what its store reports: for stores nothing else writes to. */
  public static ChannelRegistry withoutScan() {
    return new Builder(null).build();
  }

  /**
   * A registry that also runs {@code scan} for outside changes.
   *
   * @param scan what finds the channels in storage
   */
  public static Builder scanning(Scan scan) {
    return new Builder(Objects.requireNonNull(scan, "scan"));
  }

  // ---- what the store reports ----------------------------------------------------------------

  /** The store published (or republished) a channel: it is listed from now on. */
  public synchronized void published(ChannelMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    reported.put(metadata.id(), ++changes);
    put(metadata);
  }

  /** The store deleted a channel: it is not listed from now on. */
  public synchronized void removed(String id) {
    Objects.requireNonNull(id, "id");
    reported.put(id, ++changes);
    remove(id);
  }

  /**
   * The store deletes a channel with {@code delete}: it is off the list before {@code delete}
   * starts, and stays off whatever a scan that overlapped the delete read.
   *
   * @return what {@code delete} returned
   */
  public boolean removing(String id, BooleanSupplier delete) {
    removed(id);
    try {
      return delete.getAsBoolean();
    } finally {
      removed(id);
    }
  }

  // ---- ChannelCatalog ------------------------------------------------------------------------

  @Override
  public List<ChannelMetadata> list() {
    start();
    List<ChannelMetadata> list = new ArrayList<>(channels.values());
    list.sort(ORDER);
    return list;
  }

  @Override
  public Optional<ChannelMetadata> get(String id) {
    start();
    return Optional.ofNullable(channels.get(id));
  }

  @Override
  public Registration addListener(ChannelListener listener) {
    Objects.requireNonNull(listener, "listener");
    start();
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void refresh() {
    if (scan != null) {
      runScan(true);
      started = true;
      startTimer();
    }
  }

  /** Stops the scan and the event thread; idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    if (events != null) {
      events.shutdown();
    }
  }

  // ---- inside --------------------------------------------------------------------------------

  /** The first read scans once on the caller's thread, so that it lists what is there. */
  private void start() {
    if (started || scan == null) {
      return;
    }
    synchronized (scanLock) {
      if (started) {
        return;
      }
      started = true;
      scanOnce(true);
    }
    startTimer();
  }

  private void startTimer() {
    synchronized (this) {
      if (closed || timer != null) {
        return;
      }
      timer = Executors.newSingleThreadScheduledExecutor(daemon("hlskit-channels-scan"));
      long ms = interval.toMillis();
      timer.scheduleWithFixedDelay(this::timedScan, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void timedScan() {
    scanOnce(thoroughEvery == 1 || scans % thoroughEvery == 0);
    if (housekeeping != null && System.nanoTime() - lastHousekeeping >= housekeepingNanos) {
      lastHousekeeping = System.nanoTime();
      attempt(housekeeping, housekeepingFailures, "housekeeping of " + name);
    }
  }

  private void scanOnce(boolean thorough) {
    attempt(() -> runScan(thorough), scanFailures, "looking for channels in " + name);
  }

  /**
   * Runs {@code work}; a failure that repeats is logged when it starts, at most once a minute
   * while it lasts, and when it is over.
   */
  private static void attempt(Runnable work, RepeatedFailure failures, String what) {
    try {
      work.run();
      String over = failures.succeeded();
      if (over != null) {
        LOG.info("{} works again, {}", what, over);
      }
    } catch (RuntimeException e) {
      String line = failures.failed(e.toString());
      if (line != null) {
        LOG.warn("{} failed; will try again: {}", what, line);
      }
    }
  }

  private void runScan(boolean thorough) {
    synchronized (scanLock) {
      long since;
      synchronized (this) {
        since = changes;
      }
      scans++;
      Map<String, ChannelMetadata> found = scan.scan(thorough);
      synchronized (this) {
        for (ChannelMetadata m : found.values()) {
          if (!reportedAfter(m.id(), since)) {
            put(m);
          }
        }
        for (String id : new ArrayList<>(channels.keySet())) {
          if (!found.containsKey(id) && !reportedAfter(id, since)) {
            remove(id);
          }
        }
        // reports older than this scan are settled: the scan saw their result
        reported.values().removeIf(stamp -> stamp <= since);
      }
    }
  }

  private boolean reportedAfter(String id, long since) {
    Long stamp = reported.get(id);
    return stamp != null && stamp > since;
  }

  /** Called holding this. */
  private void put(ChannelMetadata metadata) {
    ChannelMetadata before = channels.put(metadata.id(), metadata);
    if (before == null) {
      fire(ChannelEvent.added(metadata));
    } else if (!before.equals(metadata)) {
      fire(ChannelEvent.updated(metadata));
    }
  }

  /** Called holding this. */
  private void remove(String id) {
    if (channels.remove(id) != null) {
      fire(ChannelEvent.removed(id));
    }
  }

  /** Queues the event in order; called holding this, so the queue order is the change order. */
  private void fire(ChannelEvent event) {
    if (listeners.isEmpty() || closed) {
      return;
    }
    if (events == null) {
      events = Executors.newSingleThreadExecutor(daemon("hlskit-channel-events"));
    }
    try {
      events.execute(() -> {
        for (ChannelListener l : listeners) {
          try {
            l.onChannelEvent(event);
          } catch (RuntimeException e) {
            LOG.warn("a channel listener failed on {}", event, e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("registry closed; {} not delivered", event);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String threadName) {
    return r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    };
  }

  /** Settings of a scanning {@link ChannelRegistry}; not thread-safe. */
  public static final class Builder {
    private final Scan scan;
    private String name = "storage";
    private Duration interval = Duration.ofSeconds(1);
    private int thoroughEvery = 1;
    private Runnable housekeeping;
    private Duration housekeepingEvery = Duration.ofHours(1);

    private Builder(Scan scan) {
      this.scan = scan;
    }

    /** What is scanned, for the log ({@code "bucket hls"}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** How often the scan runs; 1 s by default. */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive: " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** How many timed scans make one thorough one; 1 (every scan thorough) by default. */
    public Builder thoroughEvery(int scans) {
      if (scans < 1) {
        throw new IllegalArgumentException("thoroughEvery must be at least 1: " + scans);
      }
      this.thoroughEvery = scans;
      return this;
    }

    /**
     * A task the scan's thread also runs, at most once every {@code every} (the first time
     * {@code every} after the start), such as removing drafts a crashed process left: a store
     * that runs for weeks cleans up without a restart.
     */
    public Builder housekeeping(Runnable task, Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("every must be positive: " + every);
      }
      this.housekeeping = Objects.requireNonNull(task, "task");
      this.housekeepingEvery = every;
      return this;
    }

    public ChannelRegistry build() {
      return new ChannelRegistry(this);
    }
  }
}
