package io.hlskit.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.contract.MediaStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryMediaStoreTest extends MediaStoreContract {
  @Override
  protected MediaStore newStore() {
    return new InMemoryMediaStore();
  }

  @Test
  void itsCatalogFollowsPublishAndDelete() {
    InMemoryMediaStore memory = (InMemoryMediaStore) store;
    List<ChannelEvent> events = new CopyOnWriteArrayList<>();
    memory.addListener(events::add);
    ChannelMetadata older = ChannelMetadata.builder("older")
        .created(Instant.parse("2026-01-01T00:00:00Z")).build();

    try (ChannelDraft d = memory.draft("older")) {
      d.publish(older);
    }
    try (ChannelDraft d = memory.draft("canal1")) {
      d.write("playlist.m3u8", bytes("#EXTM3U\n"));
      d.publish(metadata("canal1"));
    }
    memory.deleteChannel("older");

    Eventually.await(Duration.ofSeconds(5), "three events", () -> events.size() == 3);
    assertThat(events).containsExactly(ChannelEvent.added(older),
        ChannelEvent.added(metadata("canal1")), ChannelEvent.removed("older"));
    assertThat(memory.channels()).containsExactly(metadata("canal1"));
    assertThat(memory.channel("canal1")).contains(metadata("canal1"));
    assertThat(memory.channel("older")).isEmpty();
  }
}
