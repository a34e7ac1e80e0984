package io.hlskit.server.internal;

import io.hlskit.core.channel.ChannelCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;
import org.xnio.XnioWorker;
import org.xnio.management.XnioWorkerMXBean;

/**
 * The gauges of a server with a meter registry: channels ({@code hlskit_channels}), viewers and
 * chat sessions per channel ({@code hlskit_channel_viewers}, {@code hlskit_chat_sessions}) and
 * Undertow's worker pool. Per-channel rows are refreshed every few seconds (5 s by default) and
 * capped at the {@value #MAX_CHANNEL_TAGS} largest public channels; the rest, private channels
 * (whose ids a metrics scrape must not tell) and a channel that happens to be named "other" are
 * summed under {@code channel="other"}, so that a million channels cannot swell the registry.
 * {@link #close} stops the refresh.
 */
public final class ServerMetrics implements AutoCloseable {
  /** How many channels get a row of their own; the rest are summed as "other". */
  public static final int MAX_CHANNEL_TAGS = 200;

  /** The row of the channels not named. */
  static final String OTHER = "other";

  private final ChannelCatalog catalog;
  private final Viewers viewers;
  private final ChatStats chat;
  private final MultiGauge viewerRows;
  private final MultiGauge chatRows;
  private final ScheduledExecutorService refresh;
  private final IntSupplier drain;
  /** The drainer's. */
  private long drainMillis = HttpMetrics.DRAIN_MILLIS;

  /**
   * With the rows refreshed every {@code refreshMillis}, and {@code drain} (the requests'
   * samples into the registry, returning the most one thread had) run at the pace of {@link
   * HttpMetrics#nextDrainMillis} and once more on {@link #close}.
   */
  public ServerMetrics(MeterRegistry registry, ChannelCatalog catalog, Viewers viewers,
      ChatStats chat, long refreshMillis, IntSupplier drain) {
    this.drain = drain;
    this.catalog = catalog;
    this.viewers = viewers;
    this.chat = chat;
    Gauge.builder("hlskit.channels", catalog, c -> c.list().size())
        .description("published channels").register(registry);
    viewerRows = MultiGauge.builder("hlskit.channel.viewers")
        .description("players that fetched a playlist or segment of the channel in the last"
            + " 30 s").register(registry);
    chatRows = MultiGauge.builder("hlskit.chat.sessions")
        .description("chat sessions joined in the channel's room on this instance")
        .register(registry);
    refresh = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hlskit-metrics");
      t.setDaemon(true);
      return t;
    });
    refresh.scheduleWithFixedDelay(this::refresh, 0, refreshMillis, TimeUnit.MILLISECONDS);
    refresh.schedule(this::drain, drainMillis, TimeUnit.MILLISECONDS);
  }

  private void drain() {
    int most = 0;
    try {
      most = drain.getAsInt();
    } catch (RuntimeException e) { // must not end the schedule
      LoggerFactory.getLogger(ServerMetrics.class).warn("could not record requests", e);
    }
    drainMillis = HttpMetrics.nextDrainMillis(drainMillis, most);
    try {
      refresh.schedule(this::drain, drainMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: close() drains once more itself
    }
  }

  /** Gauges of Undertow's worker pool: busy threads, pool size and queued tasks. */
  public static void bindWorker(MeterRegistry registry, XnioWorker worker) {
    XnioWorkerMXBean bean = worker.getMXBean();
    Gauge.builder("hlskit.undertow.worker.busy", bean, XnioWorkerMXBean::getBusyWorkerThreadCount)
        .description("worker threads running a task").register(registry);
    Gauge.builder("hlskit.undertow.worker.size", bean, XnioWorkerMXBean::getWorkerPoolSize)
        .description("worker threads").register(registry);
    Gauge.builder("hlskit.undertow.worker.queued", bean, XnioWorkerMXBean::getWorkerQueueSize)
        .description("tasks waiting for a worker thread").register(registry);
    Gauge.builder("hlskit.undertow.io.threads", bean, XnioWorkerMXBean::getIoThreadCount)
        .description("I/O threads").register(registry);
  }

  void refresh() {
    viewers.prune();
    Predicate<String> named = this::isNamed;
    viewerRows.register(rows(viewers.ranked(), named), true);
    chatRows.register(rows(chat.ranked(), named), true);
  }

  /** Whether a channel may have a row of its own: published, public, not named "other". */
  private boolean isNamed(String channel) {
    return !OTHER.equals(channel)
        && catalog.get(channel).map(c -> !c.isPrivate()).orElse(false);
  }

  /**
   * The largest {@code named} channels a row each, the rest summed as "other"; {@code ranked}
   * comes largest first.
   */
  static List<MultiGauge.Row<?>> rows(List<Map.Entry<String, Integer>> ranked,
      Predicate<String> named) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    long other = 0;
    boolean anyOther = false;
    for (Map.Entry<String, Integer> e : ranked) {
      if (rows.size() < MAX_CHANNEL_TAGS && named.test(e.getKey())) {
        rows.add(MultiGauge.Row.of(Tags.of("channel", e.getKey()), e.getValue()));
      } else {
        other += e.getValue();
        anyOther = true;
      }
    }
    if (anyOther) {
      rows.add(MultiGauge.Row.of(Tags.of("channel", OTHER), other));
    }
    return rows;
  }

  @Override
  public void close() {
    refresh.shutdownNow();
    drain.getAsInt();
  }
}
