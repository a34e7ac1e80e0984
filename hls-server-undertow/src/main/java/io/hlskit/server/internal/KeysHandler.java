package io.hlskit.server.internal;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.crypto.ContentKey;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code GET /api/keys/{channel}/{key}}: the AES-128 key that decrypts a private channel's
 * segments, to requests the access policy lets watch the channel, never cached by anyone
 * ({@code Cache-Control: private, no-store}). The keys lie in the channel's {@code keys/} folder,
 * which {@code /streams} never serves. Runs on a worker thread (storage blocks).
 */
final class KeysHandler {
  private final MediaStore store;
  private final ChannelCatalog catalog;
  private final AccessPolicy access;

  KeysHandler(MediaStore store, AccessPolicy access) {
    this.store = store;
    this.catalog = store.channels();
    this.access = access;
  }

  void key(HttpServerExchange exchange, String channel, String keyId) throws IOException {
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "private, no-store");
    if (!StorageKeys.isValidChannelId(channel) || !ContentKey.ID.matcher(keyId).matches()) {
      Responses.error(exchange, 404, "not_found", "no such key: use /api/keys/{channel}/{key}"
          + " as the playlist names it");
      return;
    }
    Optional<ChannelMetadata> published = catalog.get(channel);
    if (published.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no published channel " + channel);
      return;
    }
    if (Responses.refused(exchange, access.mayWatch(ExchangeAccess.of(exchange),
        published.get()))) {
      return;
    }
    byte[] key;
    try {
      Optional<ObjectStream> read = store.read(ContentKey.storageKey(channel, keyId));
      if (read.isEmpty()) {
        Responses.error(exchange, 404, "not_found", "channel " + channel + " has no key "
            + keyId);
        return;
      }
      try (ObjectStream o = read.get(); InputStream in = o.content()) {
        key = in.readNBytes(ContentKey.LENGTH + 1);
      }
    } catch (StorageException e) {
      Responses.error(exchange, 503, "storage_unavailable", "the media store could not be read;"
          + " try again shortly");
      return;
    }
    if (key.length != ContentKey.LENGTH) {
      Responses.error(exchange, 500, "bad_key", "the stored key of channel " + channel
          + " is not " + ContentKey.LENGTH + " bytes; publish the channel again");
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
    Responses.bytes(exchange, key, exchange.getRequestMethod().equals(Methods.HEAD));
  }
}
