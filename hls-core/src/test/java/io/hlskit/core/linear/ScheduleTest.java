package io.hlskit.core.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.internal.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void readsWhatItWrites() {
    Schedule s = Schedule.of(Instant.parse("2026-11-28T00:00:00Z"), false, "a", "b", "a");
    String json = Json.write(s.toJsonMap());
    assertThat(json).isEqualTo("{\"start\":\"2026-11-28T00:00:00Z\",\"loop\":false,\"items\":"
        + "[{\"channel\":\"a\"},{\"channel\":\"b\"},{\"channel\":\"a\"}]}");
    assertThat(Schedule.fromJsonMap(Json.parse(json), NOW)).isEqualTo(s);
  }

  @Test
  void startAndLoopHaveDefaults() {
    Schedule s = Schedule.fromJsonMap(Json.parse("{\"items\":[{\"channel\":\"a\"}]}"), NOW);
    assertThat(s.start()).isEqualTo(NOW);
    assertThat(s.loop()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"items\":[]}|items: the schedule is empty",
      "{}|items: expected a list",
      "[]|schedule: expected an object",
      "{\"items\":[{\"channel\":\"a\"},{\"channel\":\"Bad Id\"}]}|items[1].channel: 'Bad Id'",
      "{\"items\":[{\"channel\":\"a\"},{\"title\":\"x\"}]}|items[1].channel: expected a channel",
      "{\"items\":[\"a\"]}|items[0].channel: expected a channel id",
      "{\"start\":\"1969-12-31T23:59:59Z\",\"items\":[{\"channel\":\"a\"}]}|start: 1969",
      "{\"start\":\"2100-01-01T00:00:00Z\",\"items\":[{\"channel\":\"a\"}]}|start: 2100",
      "{\"start\":\"tomorrow\",\"items\":[{\"channel\":\"a\"}]}|start: 'tomorrow'",
      "{\"start\":5,\"items\":[{\"channel\":\"a\"}]}|start: expected an ISO 8601",
      "{\"loop\":\"yes\",\"items\":[{\"channel\":\"a\"}]}|loop: expected true or false"})
  void badSchedulesAreRefusedNamingTheField(String json, String message) {
    assertThatThrownBy(() -> Schedule.fromJsonMap(Json.parse(json), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void atMostTenThousandItems() {
    List<Object> items = new ArrayList<>(Collections.nCopies(Schedule.MAX_ITEMS,
        Map.of("channel", "a")));
    assertThat(Schedule.fromJsonMap(Map.of("items", items), NOW).items())
        .hasSize(Schedule.MAX_ITEMS);
    items.add(Map.of("channel", "a"));
    assertThatThrownBy(() -> Schedule.fromJsonMap(Map.of("items", items), NOW))
        .hasMessage("items: 10001 items, more than the 10000 a schedule may hold");
  }

  private static ChannelMetadata vod(String id, String... codecs) {
    return ChannelMetadata.builder(id).addRendition(new RenditionInfo("720p",
        "720p/index.m3u8", Optional.empty(), 1_500_000, 0, List.of(codecs))).build();
  }

  @Test
  void itemsMustBeStoredChannelsOnDemandWithTheFirstOnesRenditions() {
    Map<String, ChannelMetadata> stored = Map.of(
        "a", vod("a", "avc1.64001f", "mp4a.40.2"),
        "b", vod("b", "avc1.64001f", "mp4a.40.2"),
        "hevc", vod("hevc", "hvc1.1.6.L93.B0", "mp4a.40.2"),
        "small", ChannelMetadata.builder("small").addRendition(new RenditionInfo("360p",
            "360p/index.m3u8", Optional.empty(), 500_000, 0, List.of())).build(),
        "news", ChannelMetadata.builder("news").schedule(Schedule.of(NOW, true, "a")).build(),
        "secret", ChannelMetadata.builder("secret").visibility(
            io.hlskit.core.channel.Visibility.PRIVATE).build());
    java.util.function.Function<String, Optional<ChannelMetadata>> lookup =
        id -> Optional.ofNullable(stored.get(id));
    assertThat(Schedule.of(NOW, true, "a", "b", "a").requirePlayable(lookup).id())
        .isEqualTo("a");
    assertThatThrownBy(() -> Schedule.of(NOW, true, "a", "gone").requirePlayable(lookup))
        .hasMessage("items[1].channel: 'gone' is not a stored channel; publish it first or"
            + " leave it out");
    assertThatThrownBy(() -> Schedule.of(NOW, true, "a", "news").requirePlayable(lookup))
        .hasMessageContaining("items[1].channel: 'news' is a linear channel");
    assertThatThrownBy(() -> Schedule.of(NOW, true, "a", "b", "small").requirePlayable(lookup))
        .hasMessageContaining("items[2].channel: 'small' has no rendition '720p'");
    assertThatThrownBy(() -> Schedule.of(NOW, true, "a", "hevc").requirePlayable(lookup))
        .hasMessageContaining("items[1].channel: 'hevc': rendition '720p'")
        .hasMessageContaining("share codecs");
    assertThatThrownBy(() -> Schedule.of(NOW, true, "secret", "a").requirePlayable(lookup))
        .hasMessageContaining("items[0].channel: 'secret' is private");
  }

  @Test
  void codecsMatchWhateverTheirLevel() {
    assertThat(Schedule.sameCodecs(List.of("avc1.64001e", "mp4a.40.2"),
        List.of("avc1.640015", "mp4a.40.2"))).as("High at 3.0 and 2.1").isTrue();
    assertThat(Schedule.sameCodecs(List.of("avc1.64001e"), List.of("avc1.42c01e")))
        .as("High and Baseline").isFalse();
    assertThat(Schedule.sameCodecs(List.of("hvc1.1.6.L93.B0"), List.of("hvc1.1.6.L120.B0")))
        .isTrue();
    assertThat(Schedule.sameCodecs(List.of("hvc1.1.6.L93.B0"), List.of("hvc1.2.4.L93.B0")))
        .as("Main and Main 10").isFalse();
    assertThat(Schedule.sameCodecs(List.of("avc1.64001e", "mp4a.40.2"),
        List.of("avc1.64001e", "mp4a.40.5"))).as("AAC-LC and HE-AAC").isFalse();
    assertThat(Schedule.sameCodecs(List.of("avc1.64001e"), List.of("avc1.64001e", "mp4a.40.2")))
        .as("one without sound").isFalse();
    Map<String, ChannelMetadata> stored = Map.of(
        "landscape", vod("landscape", "avc1.64001e", "mp4a.40.2"),
        "square", vod("square", "avc1.640015", "mp4a.40.2"));
    assertThat(Schedule.of(NOW, true, "landscape", "square")
        .requirePlayable(id -> Optional.ofNullable(stored.get(id))).id()).isEqualTo("landscape");
  }
}
