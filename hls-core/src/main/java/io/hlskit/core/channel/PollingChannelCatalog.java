package io.hlskit.core.channel;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every catalog that looks at its storage on a timer shares: the channels kept in a
 * {@link ChannelRegistry} and answered from memory, and one daemon thread that calls {@link
 * #look(boolean)} every interval. A backend supplies the look.
 */
public abstract class PollingChannelCatalog implements ChannelCatalog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PollingChannelCatalog.class);

  /** What the catalog lists; a look puts and removes channels here. */
  protected final ChannelRegistry registry = new ChannelRegistry();

  private final ScheduledExecutorService timer;
  private final String what;
  private final Duration interval;
  private long runs;

  /**
   * A catalog that looks every {@code interval} once {@link #start()} is called.
   *
   * @param what the storage, for the log ("bucket hls")
   * @param threadName the timer thread's name
   */
  protected PollingChannelCatalog(String what, String threadName, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the look-up interval must be positive: " + interval);
    }
    this.what = what;
    this.interval = interval;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Looks once now, on the calling thread, so that a new catalog lists what is there, then every
   * interval. Subclasses call it at the end of their constructor.
   */
  protected final void start() {
    lookSafely();
    timer.scheduleWithFixedDelay(this::lookSafely, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Looks at the storage and updates {@link #registry}.
   *
   * @param thorough true on the first look and every {@link #thoroughEvery()} runs after
   */
  protected abstract void look(boolean thorough);

  /** How many timed looks make one thorough one; 1 (every look thorough) by default. */
  protected int thoroughEvery() {
    return 1;
  }

  private synchronized void lookSafely() {
    try {
      look(runs++ % thoroughEvery() == 0);
    } catch (RuntimeException e) {
      LOG.warn("looking for channels in {} failed; will try again: {}", what, e.toString());
    }
  }

  @Override
  public List<ChannelMetadata> channels() {
    return registry.channels();
  }

  @Override
  public Optional<ChannelMetadata> channel(String id) {
    return registry.channel(id);
  }

  @Override
  public Registration addListener(ChannelListener listener) {
    return registry.addListener(listener);
  }

  /** Stops the timer; idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
