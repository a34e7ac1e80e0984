package io.hlskit.core.channel;

import java.util.List;
import java.util.Optional;

/**
 * The channels a {@link io.hlskit.core.store.MediaStore} holds, kept current: what {@code GET
 * /api/channels} lists and what the web page's feed shows. A store's catalog is {@code
 * store.channels()}: channels published or deleted through the store are in it (or gone from it)
 * when the call returns; changes made outside it (a folder copied in, another instance's upload
 * to a shared bucket) are found by the store's own scan. Reads are answered from memory, never by
 * scanning storage per request.
 *
 * <p>Thread-safe. Listeners are called on one thread of the catalog's, one event at a time, in
 * the order the changes happened.
 */
public interface ChannelCatalog {

  /** Every listed channel, newest first. */
  List<ChannelMetadata> list();

  /** One channel, when listed. */
  Optional<ChannelMetadata> get(String id);

  /**
   * Registers a listener for channel events from now on.
   *
   * @return closing it unregisters the listener
   */
  Registration addListener(ChannelListener listener);

  /**
   * Looks at storage now for changes made outside the store (rather than at the next scan) and
   * returns when the list is current.
   *
   * @throws io.hlskit.core.StorageException when storage cannot be read; the channels listed
   *     before stay listed
   */
  void refresh();

  /** A registration that ends when closed; idempotent. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
