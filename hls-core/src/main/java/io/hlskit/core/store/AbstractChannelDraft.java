package io.hlskit.core.store;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import java.util.Objects;

/**
 * The checks every store's {@link ChannelDraft} makes, so that they refuse the same things with
 * the same words: writes after the draft is closed ({@link IllegalStateException}), {@code
 * channel.json} written by hand, keys that leave the channel and metadata of another channel
 * ({@link IllegalArgumentException}).
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
   * @throws IllegalStateException when the draft is closed
   * @throws IllegalArgumentException when the key is {@code channel.json} or not a valid key
   *     inside the channel
   */
  protected final String keyOf(String relativeKey) {
    requireOpen();
    Objects.requireNonNull(relativeKey, "relativeKey");
    if (MediaStore.CHANNEL_JSON.equals(relativeKey)) {
      throw new IllegalArgumentException(MediaStore.CHANNEL_JSON
          + " is written by publish(), not by write()");
    }
    return StorageKeys.requireKey(channelId + "/" + relativeKey);
  }

  /** Throws {@link IllegalStateException} when this draft was published or closed. */
  protected final void requireOpen() {
    if (done) {
      throw new IllegalStateException("the draft of " + channelId + " is already closed");
    }
  }

  /** Throws when this draft is closed or {@code metadata} is another channel's. */
  protected final void requirePublishable(ChannelMetadata metadata) {
    requireOpen();
    if (!metadata.id().equals(channelId)) {
      throw new IllegalArgumentException("metadata for channel " + metadata.id()
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
