package io.hlskit.core.channel;

/**
 * Told when channels appear, change or go away. Called on the catalog's own thread, one event at
 * a time in the order they happened; must return quickly and must not throw.
 */
@FunctionalInterface
public interface ChannelListener {
  void onChannelEvent(ChannelEvent event);
}
