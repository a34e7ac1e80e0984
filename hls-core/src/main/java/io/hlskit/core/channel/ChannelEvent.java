package io.hlskit.core.channel;

import java.util.Objects;
import java.util.Optional;

/**
 * A channel appeared, changed or went away.
 *
 * @param type what happened
 * @param channelId the channel's id
 * @param metadata the channel's metadata; empty for {@link Type#REMOVED}
 */
public record ChannelEvent(Type type, String channelId, Optional<ChannelMetadata> metadata) {
  /** What happened to the channel. */
  public enum Type {
    ADDED,
    UPDATED,
    REMOVED
  }

  public ChannelEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(metadata, "metadata");
    if ((type == Type.REMOVED) == metadata.isPresent()) {
      throw new IllegalArgumentException(type + " events " + (type == Type.REMOVED
          ? "carry no metadata" : "carry the channel's metadata"));
    }
  }

  public static ChannelEvent added(ChannelMetadata metadata) {
    return new ChannelEvent(Type.ADDED, metadata.id(), Optional.of(metadata));
  }

  public static ChannelEvent updated(ChannelMetadata metadata) {
    return new ChannelEvent(Type.UPDATED, metadata.id(), Optional.of(metadata));
  }

  public static ChannelEvent removed(String channelId) {
    return new ChannelEvent(Type.REMOVED, channelId, Optional.empty());
  }
}
