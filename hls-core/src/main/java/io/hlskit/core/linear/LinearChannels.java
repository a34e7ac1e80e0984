package io.hlskit.core.linear;

import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishes linear channels into a store: a {@code channel.json} with the schedule and the
 * renditions its items share, and a copy of the first item's poster; no segment is written.
 *
 * <pre>{@code
 * ChannelMetadata news = LinearChannels.publish(store, "news", "News", Visibility.PUBLIC,
 *     Schedule.of(Instant.now(), true, "a", "b"));
 * }</pre>
 */
public final class LinearChannels {
  private LinearChannels() {}

  /**
   * Publishes linear channel {@code id}, or replaces it when it is linear already.
   *
   * @return the metadata published: the first item's renditions and entry playlist, and one
   *     pass of the items as its duration
   * @throws IllegalArgumentException when an item cannot be played, naming it ({@link
   *     Schedule#requirePlayable}), {@code id} is one of the items, or {@code id} is a channel
   *     on demand
   * @throws StorageException when the store cannot be written
   */
  public static ChannelMetadata publish(MediaStore store, String id, String title,
      Visibility visibility, Schedule schedule) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(schedule, "schedule");
    for (int i = 0; i < schedule.items().size(); i++) {
      if (schedule.items().get(i).channel().equals(id)) {
        throw new IllegalArgumentException("items[" + i + "].channel: '" + id + "' is the"
            + " linear channel itself");
      }
    }
    Optional<ChannelMetadata> existing = store.channels().get(id);
    if (existing.isPresent() && !existing.get().isLinear()) {
      throw new IllegalArgumentException("id: '" + id + "' is a channel on demand; a linear"
          + " channel replaces only a linear one: choose another id or delete it first");
    }
    ChannelMetadata first = schedule.requirePlayable(store.channels()::get);
    Duration pass = Duration.ZERO;
    for (Schedule.Item item : schedule.items()) {
      pass = pass.plus(store.channels().get(item.channel()).orElseThrow().duration());
    }
    ChannelMetadata.Builder b = ChannelMetadata.builder(id).title(title).duration(pass)
        .playlist(first.playlist()).visibility(visibility).schedule(schedule)
        .created(Instant.now());
    for (RenditionInfo r : first.renditions()) {
      b.addRendition(r);
    }
    try (ChannelDraft draft = store.draft(id)) {
      if (first.poster().isPresent()) {
        // small, and the feed shows it before anything plays; the items' segments stay theirs
        Optional<ObjectStream> poster = store.read(first.id() + "/" + first.poster().get());
        if (poster.isPresent()) {
          try (ObjectStream o = poster.get(); InputStream in = o.content()) {
            draft.write(first.poster().get(), in);
          } catch (IOException e) {
            throw new StorageException("copying the poster of " + first.id() + " failed: "
                + e.getMessage(), e);
          }
          b.poster(first.poster().get());
        }
      }
      ChannelMetadata m = b.build();
      draft.publish(m);
      return m;
    }
  }
}
