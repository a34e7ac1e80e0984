package io.hlskit.transcode;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.store.MediaStore;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRT listeners of an ingest, one per live channel that names an SRT port, kept in step with
 * the channels as the store reports them.
 */
final class SrtListeners {
  private static final Logger LOG = LoggerFactory.getLogger(SrtListeners.class);

  private final LiveIngest ingest;
  private final MediaStore store;
  private final String host;
  private final long idleMillis;
  private final ScheduledExecutorService timers;
  private final Map<String, SrtListener> listeners = new ConcurrentHashMap<>();
  private boolean closed;

  SrtListeners(LiveIngest ingest, MediaStore store, String host, long idleMillis,
      ScheduledExecutorService timers) {
    this.ingest = ingest;
    this.store = store;
    this.host = host;
    this.idleMillis = idleMillis;
    this.timers = timers;
  }

  /** Listens on {@code m}'s SRT port when it is a live channel naming one, and on no other. */
  synchronized void sync(ChannelMetadata m) {
    int port = m.live().map(LiveSettings::srtPort).orElse(0);
    SrtListener now = listeners.get(m.id());
    if (now != null && now.port() == port) {
      return;
    }
    stop(m.id());
    if (port > 0 && !closed) {
      LOG.info("live channel {}: SRT listener on srt://{}:{}", m.id(), host, port);
      listeners.put(m.id(), new SrtListener(ingest, store, m.id(), host, port, idleMillis,
          timers).start());
    }
  }

  /** Stops channel {@code id}'s listener, and its caller's stream, if it has one. */
  synchronized void stop(String id) {
    SrtListener l = listeners.remove(id);
    if (l != null) {
      l.stop();
    }
  }

  OptionalInt port(String channel) {
    SrtListener l = listeners.get(channel);
    return l == null ? OptionalInt.empty() : OptionalInt.of(l.port());
  }

  /** Stops every listener and waits up to {@code millis} each for its last segment. */
  void close(long millis) throws InterruptedException {
    List<SrtListener> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(listeners.values());
      listeners.clear();
    }
    all.forEach(SrtListener::stop);
    for (SrtListener l : all) {
      l.join(millis);
    }
  }
}
