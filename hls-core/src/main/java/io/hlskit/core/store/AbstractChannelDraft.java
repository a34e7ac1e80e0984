package io.hlskit.core.store;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;

/**
 * The checks every store's {@link ChannelDraft} makes, so that they refuse the same things with
 * the same words: writes after the draft is closed, {@code channel.json} written by hand, keys
 * that leave the channel, metadata of another channel.
 */
public abstract class AbstractChannelDraft implements ChannelDraft {
  private final String channelId;
  private volatile boolean done;

  /** A draft of {@code channelId}, which must be a valid channel id. */
  protected AbstractChannelDraft(String channelId) {
    this.channelId = StorageKeys.requireChannelId(channelId);
  }

  @Override
  public final String channelId() {
    return channelId;
  }

  /**
   * The store key of an object of this draft ({@code <channel>/<relativeKey>}).
   *
   * @throws StorageException when the draft is closed, the key is {@code channel.json}, or it is
   *     not a valid key inside the channel
   */
  protected final String keyOf(String relativeKey) {
    requireOpen();
    if (MediaStore.CHANNEL_JSON.equals(relativeKey)) {
      throw new StorageException(MediaStore.CHANNEL_JSON
          + " is written by publish(), not by write()");
    }
    if (relativeKey == null) {
      throw new StorageException("a draft's key must not be null");
    }
    return StorageKeys.requireKey(channelId + "/" + relativeKey);
  }

  /** Throws when this draft was published or closed. */
  protected final void requireOpen() {
    if (done) {
      throw new StorageException("the draft of " + channelId + " is already closed");
    }
  }

  /** Throws when this draft is closed or {@code metadata} is another channel's. */
  protected final void requirePublishable(ChannelMetadata metadata) {
    requireOpen();
    if (!metadata.id().equals(channelId)) {
      throw new StorageException("metadata for channel " + metadata.id()
          + " cannot publish the draft of " + channelId);
    }
  }

  /** Marks the draft done; returns whether it was still open. */
  protected final synchronized boolean finish() {
    boolean wasOpen = !done;
    done = true;
    return wasOpen;
  }
}
