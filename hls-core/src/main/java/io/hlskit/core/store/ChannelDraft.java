package io.hlskit.core.store;

import io.hlskit.core.channel.ChannelMetadata;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A channel being written: segments, playlists and poster go in under keys relative to the
 * channel ({@code 720p/seg_00000.ts}), then {@link #publish} makes the whole channel visible at
 * once, replacing any earlier version. {@link #close} without publishing discards everything.
 *
 * <p>Not thread-safe for publish and close; writes of different keys may run concurrently (one
 * encoder thread per rendition).
 */
public interface ChannelDraft extends AutoCloseable {

  /** The id of the channel this draft will publish. */
  String channelId();

  /** Writes an object of the draft; {@code relativeKey} must not be {@code channel.json}. */
  ObjectInfo write(String relativeKey, InputStream content);

  /** Writes an object of the draft from a local file, which is left in place. */
  ObjectInfo write(String relativeKey, Path file);

  /**
   * Takes a local file into the draft, for producers whose files are temporary anyway (the
   * transcoder's segments): a store on the file's own file system moves it there instead of
   * copying. Afterwards the file may be gone or still in place; the caller must not rely on
   * either, and still deletes its own working folder.
   */
  default ObjectInfo moveIn(String relativeKey, Path file) {
    return write(relativeKey, file);
  }

  /** Writes an object of the draft from memory. */
  default ObjectInfo write(String relativeKey, byte[] content) {
    return write(relativeKey, new ByteArrayInputStream(content));
  }

  /**
   * Makes the channel visible: every object written through this draft, then its {@code
   * channel.json} last. Objects of an earlier version that this one does not have are removed.
   *
   * @throws io.hlskit.core.StorageException when the metadata's id is not this draft's, or when
   *     the store fails; the earlier version, if any, is then still what readers see
   */
  void publish(ChannelMetadata metadata);

  /** Discards the draft when it was not published; idempotent. */
  @Override
  void close();
}
