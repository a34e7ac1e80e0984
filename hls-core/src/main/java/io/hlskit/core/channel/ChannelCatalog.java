package io.hlskit.core.channel;

import java.util.List;
import java.util.Optional;

/**
 * The channels there are, kept current: what {@code GET /api/channels} lists and what the web
 * page's feed shows. Backends discover channels their own way (watching a folder, listing a
 * bucket, notices over Redis) and tell listeners; reads are answered from memory, never by
 * scanning storage per request.
 *
 * <p>Thread-safe.
 */
public interface ChannelCatalog {

  /** Every published channel, newest first. */
  List<ChannelMetadata> channels();

  /** One channel, when published. */
  Optional<ChannelMetadata> channel(String id);

  /**
   * Registers a listener for channel events from now on.
   *
   * @return closing it unregisters the listener
   */
  Registration addListener(ChannelListener listener);

  /** Re-reads storage now rather than at the next interval; returns when done. */
  void refresh();

  /** A registration that ends when closed; idempotent. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
