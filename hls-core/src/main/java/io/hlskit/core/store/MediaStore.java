package io.hlskit.core.store;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where channels live: objects by key, in a folder, a bucket or memory.
 *
 * <p>A channel is the prefix {@code <channel id>/}; it exists for readers once its {@code
 * channel.json} does, or, for a plain HLS folder (an entry {@code playlist.m3u8} and its segments,
 * no {@code channel.json}), once its entry playlist does ({@link PlainHlsFolder}). Producers
 * publish a channel through a {@link ChannelDraft} so that a failed or cancelled transcode leaves
 * nothing readers can see. The store owns its channel list, {@link #channels()}. Keys follow
 * {@link StorageKeys}; a bad key is a {@link io.hlskit.core.StorageException}, never an access
 * outside the store.
 *
 * <p>Implementations are thread-safe. Every write is atomic: a reader sees the old object or the
 * new one whole, never a part. Every backend runs the contract suite {@code MediaStoreContract}
 * and {@code ChannelCatalogContract} from hls-core's test-jar.
 */
public interface MediaStore extends AutoCloseable {

  /** The name of the metadata object that makes a channel visible. */
  String CHANNEL_JSON = "channel.json";

  /**
   * Writes the object at {@code key} from {@code content}, replacing any object there. The stream
   * is read to its end and not closed.
   *
   * @return what the store now holds at that key
   */
  ObjectInfo write(String key, InputStream content);

  /** Writes the object at {@code key} from a local file, which is left in place. */
  ObjectInfo write(String key, Path file);

  /** Writes the object at {@code key} from bytes in memory (playlists, metadata, posters). */
  default ObjectInfo write(String key, byte[] content) {
    return write(key, new ByteArrayInputStream(content));
  }

  /** The object at {@code key}, or empty when there is none. */
  Optional<StoredObject> open(String key);

  /**
   * The object at {@code key} opened for reading whole, or empty when there is none. Backends
   * where {@link #open} and a read are two round trips (S3) make it one; the caller closes it.
   */
  default Optional<ObjectStream> read(String key) {
    return open(key).map(ObjectStream::of);
  }

  /**
   * Every object whose key starts with {@code prefix} ({@code ""} for all), in key order,
   * however many there are.
   */
  List<ObjectInfo> list(String prefix);

  /**
   * Deletes every object whose key starts with {@code prefix}.
   *
   * @return how many objects were deleted
   */
  int deletePrefix(String prefix);

  /**
   * Deletes the objects at {@code keys}, skipping keys where there is none: how a live channel
   * drops the parts and segments that left its playlists, several times a segment. The default
   * deletes each key as a prefix ({@link #deletePrefix}), which is exact for keys that no other
   * key extends, as the live pipeline's names are; stores that can delete by name, many in one
   * request, do that instead (S3: one DeleteObjects, no listing).
   */
  default void delete(Collection<String> keys) {
    for (String key : keys) {
      deletePrefix(key);
    }
  }

  /**
   * Starts a new version of a channel. Nothing written through the draft is visible to readers
   * of the channel until {@link ChannelDraft#publish}; closing it unpublished discards it.
   */
  ChannelDraft draft(String channelId);

  /**
   * The channels this store holds, kept current: those published and deleted through this store
   * at once, those changed outside it (another process, another instance on the same bucket)
   * after the store's next scan. The same object on every call; closing the store closes it.
   */
  ChannelCatalog channels();

  /**
   * The metadata of a published channel, read from its {@code channel.json}.
   *
   * @throws StorageException when {@code channel.json} is there but unreadable or invalid
   */
  default Optional<ChannelMetadata> channelMetadata(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return open(channelId + "/" + CHANNEL_JSON).map(o -> {
      try (InputStream in = o.stream()) {
        return ChannelMetadata.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new StorageException("could not read " + o.info().key() + ": " + e, e);
      }
    });
  }

  /**
   * Rewrites the {@code channel.json} of a channel in place, leaving its other objects as they
   * are, and lists the new metadata at once: for channels whose objects change while they are
   * listed (a live channel's segments and state), where a {@linkplain #draft draft} would replace
   * them all. Backends override it to list the channel without a scan.
   *
   * @throws StorageException when the store cannot be written
   */
  default void updateMetadata(ChannelMetadata metadata) {
    write(metadata.id() + "/" + CHANNEL_JSON, metadata.toJsonBytes());
    channels().refresh();
  }

  /**
   * Deletes a channel and every object under it, and takes it off {@link #channels()}. The entry
   * playlist goes first, then {@code channel.json}, then the rest, so that no reader ever finds a
   * channel whose segments are going, nor mistakes it for a plain HLS folder.
   *
   * @return whether there was anything to delete
   */
  default boolean deleteChannel(String channelId) {
    StorageKeys.requireChannelId(channelId);
    boolean existed = deletePrefix(channelId + "/" + ChannelMetadata.ENTRY_PLAYLIST) > 0;
    existed |= deletePrefix(channelId + "/" + CHANNEL_JSON) > 0;
    return deletePrefix(channelId + "/") > 0 || existed;
  }

  /**
   * An address where players can fetch the object straight from the store or a CDN in front of
   * it, when the store has one configured; a server may redirect there instead of sending the
   * bytes itself.
   */
  default Optional<URI> publicUrl(String key) {
    StorageKeys.requireKey(key);
    return Optional.empty();
  }

  /**
   * Whether {@link #open} is a call to this machine's file system that never waits on a
   * network, and its objects {@linkplain StoredObject#localFile local files}: a server may then
   * open and send them from its I/O threads, as nginx does, instead of handing each request to
   * a worker thread. False by default.
   */
  default boolean isLocal() {
    return false;
  }

  /**
   * Checks that the store can be reached now, for health checks.
   *
   * @throws io.hlskit.core.StorageException saying what is wrong and what to check
   */
  default void checkHealth() {}

  /** Releases what the store holds (clients, its channel list's scan); idempotent. */
  @Override
  void close();
}
