package io.hlskit.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-channel rows: capped, private channels and a channel named "other" summed unnamed. */
class ServerMetricsRowsTest {

  /** The rows as a registry shows them. */
  private static Map<String, Long> byChannel(List<MultiGauge.Row<?>> rows) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MultiGauge.builder("rows").register(registry).register(rows);
    Map<String, Long> m = new HashMap<>();
    for (Gauge g : registry.find("rows").gauges()) {
      m.put(g.getId().getTag("channel"), (long) g.value());
    }
    return m;
  }

  @Test
  void theLargestChannelsGetARowEachAndTheRestAreSummed() {
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      ranked.add(Map.entry("c" + i, 1000 - i));
    }
    Map<String, Long> rows = byChannel(ServerMetrics.rows(ranked, c -> true));
    assertThat(rows).hasSize(ServerMetrics.MAX_CHANNEL_TAGS + 1)
        .containsEntry("c0", 1000L).containsEntry("c199", 801L).doesNotContainKey("c200");
    long rest = 0;
    for (int i = 200; i < 250; i++) {
      rest += 1000 - i;
    }
    assertThat(rows.get("other")).isEqualTo(rest);
  }

  @Test
  void privateChannelsAndOneNamedOtherAreNeverNamed() {
    List<Map.Entry<String, Integer>> ranked = List.of(Map.entry("secret", 9),
        Map.entry("other", 5), Map.entry("open", 3));
    Map<String, Long> rows = byChannel(ServerMetrics.rows(ranked,
        c -> !c.equals("secret") && !c.equals("other")));
    assertThat(rows).isEqualTo(Map.of("open", 3L, "other", 14L));
  }

  @Test
  void noOtherRowWhenEveryChannelIsNamed() {
    assertThat(byChannel(ServerMetrics.rows(List.of(Map.entry("a", 2)), c -> true)))
        .isEqualTo(Map.of("a", 2L));
  }
}
