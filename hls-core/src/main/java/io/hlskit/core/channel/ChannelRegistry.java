package io.hlskit.core.channel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory half of every {@link ChannelCatalog}: the channels known now, their listeners,
 * and the events that a change makes. Backends discover channels their own way and report what
 * they find with {@link #put} and {@link #remove}; the registry decides whether that is an
 * addition, an update or nothing, and tells the listeners.
 *
 * <p>Thread-safe. Listeners are called on the thread that reports the change, after the change
 * is visible to {@link #channels()}; a backend that reports from one thread delivers events in
 * order.
 */
public final class ChannelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelRegistry.class);

  /** Newest first, then by id: the order of the feed. */
  private static final Comparator<ChannelMetadata> ORDER =
      Comparator.comparing(ChannelMetadata::created).reversed()
          .thenComparing(ChannelMetadata::id);

  private final Map<String, ChannelMetadata> channels = new ConcurrentHashMap<>();
  private final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();

  /** Every channel, newest first. */
  public List<ChannelMetadata> channels() {
    List<ChannelMetadata> list = new ArrayList<>(channels.values());
    list.sort(ORDER);
    return list;
  }

  /** One channel, when known. */
  public Optional<ChannelMetadata> channel(String id) {
    return Optional.ofNullable(channels.get(id));
  }

  /** The ids known now. */
  public List<String> ids() {
    return new ArrayList<>(channels.keySet());
  }

  /** Registers a listener; closing the registration removes it. */
  public ChannelCatalog.Registration addListener(ChannelListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  /** Records a channel as it is now; tells listeners when it is new or changed. */
  public synchronized void put(ChannelMetadata metadata) {
    ChannelMetadata before = channels.put(metadata.id(), metadata);
    if (before == null) {
      fire(ChannelEvent.added(metadata));
    } else if (!before.equals(metadata)) {
      fire(ChannelEvent.updated(metadata));
    }
  }

  /** Forgets a channel; tells listeners when it was known. */
  public synchronized void remove(String id) {
    if (channels.remove(id) != null) {
      fire(ChannelEvent.removed(id));
    }
  }

  private void fire(ChannelEvent event) {
    for (ChannelListener l : listeners) {
      try {
        l.onChannelEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("a channel listener failed on {}", event, e);
      }
    }
  }
}
