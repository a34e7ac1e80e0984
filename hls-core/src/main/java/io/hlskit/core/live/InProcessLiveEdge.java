package io.hlskit.core.live;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LiveEdge#inProcess()}: the listeners in a list, called in turn. */
final class InProcessLiveEdge implements LiveEdge {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessLiveEdge.class);
  private final CopyOnWriteArrayList<Consumer<Position>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void announce(Position position) {
    for (Consumer<Position> l : listeners) {
      try {
        l.accept(position);
      } catch (RuntimeException e) {
        // one listener's failure must not cost the publisher's pipeline, nor other listeners
        LOG.warn("a live edge listener failed on {}: {}", position, e.toString());
      }
    }
  }

  @Override
  public Registration listen(Consumer<Position> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
