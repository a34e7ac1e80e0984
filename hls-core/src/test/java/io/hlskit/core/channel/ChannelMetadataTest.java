package io.hlskit.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.Resolution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChannelMetadataTest {
  private static final ChannelMetadata FULL = ChannelMetadata.builder("canal1")
      .title("Canal \"Uno\" — día 1")
      .duration(Duration.ofMillis(25_040))
      .addRendition(new RenditionInfo("720p", "720p/index.m3u8",
          Optional.of(new Resolution(1280, 720)), 1_728_000, 1_590_000,
          List.of("avc1.64001f", "mp4a.40.2")))
      .addRendition(new RenditionInfo("audio", "audio/index.m3u8", Optional.empty(), 140_000,
          128_000, List.of("mp4a.40.2")))
      .poster("poster.jpg")
      .thumbnails("thumbnails/thumbnails.vtt")
      .source("mi vídeo.mp4")
      .created(Instant.parse("2026-11-25T10:15:30.123Z"))
      .build();

  @Test
  void roundTripsThroughJson() {
    assertThat(ChannelMetadata.fromJson(FULL.toJson())).isEqualTo(FULL);
    ChannelMetadata minimal = ChannelMetadata.builder("c").created(Instant.EPOCH).build();
    assertThat(ChannelMetadata.fromJson(minimal.toJson())).isEqualTo(minimal);
  }

  @Test
  void writesTheDocumentedFields() {
    assertThat(FULL.toJson()).startsWith("{\"id\":\"canal1\",\"title\":\"Canal \\\"Uno\\\" — día 1\","
        + "\"durationSeconds\":25.04,\"renditions\":[{\"name\":\"720p\",\"playlist\":"
        + "\"720p/index.m3u8\",\"width\":1280,\"height\":720,")
        .endsWith("\"playlist\":\"playlist.m3u8\",\"poster\":\"poster.jpg\","
            + "\"thumbnails\":\"thumbnails/thumbnails.vtt\",\"source\":\"mi vídeo.mp4\",\"created\":\"2026-11-25T10:15:30.123Z\","
            + "\"visibility\":\"public\"}");
  }

  @Test
  void refusesBadMetadataWithAClearMessage() {
    assertThatThrownBy(() -> ChannelMetadata.fromJson("[]"))
        .isInstanceOf(StorageException.class).hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(FULL.toJson().replace("canal1", "../x")))
        .isInstanceOf(StorageException.class).hasMessageContaining("invalid channel id");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(
        FULL.toJson().replace("\"720p/index.m3u8\"", "\"/etc/passwd\"")))
        .isInstanceOf(StorageException.class).hasMessageContaining("absolute");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(
        FULL.toJson().replace("thumbnails/thumbnails.vtt", "../x.vtt")))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> ChannelMetadata.fromJson("{\"id\":\"a\"}"))
        .isInstanceOf(StorageException.class).hasMessageContaining("\"title\" must be a string");
  }

  @Test
  void visibilityIsKeptInChannelJsonAndPublicByDefault() {
    ChannelMetadata m = ChannelMetadata.builder("ch").visibility(Visibility.PRIVATE).build();
    assertThat(m.toJson()).contains("\"visibility\":\"private\"");
    assertThat(ChannelMetadata.fromJson(m.toJson())).isEqualTo(m);
    String old = ChannelMetadata.builder("ch").build().toJson().replace(",\"visibility\":\"public\"",
        "");
    assertThat(old).doesNotContain("visibility");
    assertThat(ChannelMetadata.fromJson(old).visibility()).isEqualTo(Visibility.PUBLIC);
    assertThatThrownBy(() -> ChannelMetadata.fromJson(m.toJson().replace("private", "secret")))
        .hasMessageContaining("'public' or 'private'");
  }

  @Test
  void aLinearChannelKeepsItsKindAndSchedule() {
    ChannelMetadata news = ChannelMetadata.builder("news").title("News")
        .created(Instant.parse("2026-11-28T00:00:00Z"))
        .schedule(Schedule.of(Instant.parse("2026-11-28T00:00:00Z"), true, "a", "b")).build();
    assertThat(news.isLinear()).isTrue();
    assertThat(FULL.isLinear()).isFalse();
    assertThat(news.toJson()).startsWith("{\"id\":\"news\",\"title\":\"News\",\"kind\":"
        + "\"linear\",").endsWith("\"schedule\":{\"start\":\"2026-11-28T00:00:00Z\","
        + "\"loop\":true,\"items\":[{\"channel\":\"a\"},{\"channel\":\"b\"}]}}");
    assertThat(ChannelMetadata.fromJson(news.toJson())).isEqualTo(news);
    assertThat(FULL.toJson()).doesNotContain("kind", "schedule");
  }

  @Test
  void aLiveChannelRoundTripsWithItsSettingsAndState() {
    LiveSettings settings = LiveSettings.of("720p:1500k,360p:500k")
        .withSegmentDuration(Duration.ofMillis(1500)).withDvr(Duration.ofMinutes(30))
        .withRecord(LiveSettings.Record.ARCHIVE).withTakeover(true).withSrtPort(9000)
        .withState(LiveSettings.State.LIVE, Instant.parse("2026-12-07T10:00:00.123Z"));
    ChannelMetadata news = ChannelMetadata.builder("news").title("News")
        .created(Instant.parse("2026-12-07T09:00:00Z")).live(settings).build();
    assertThat(news.isLive()).isTrue();
    assertThat(news.toJson()).contains("\"kind\":\"live\"").contains("\"segmentSeconds\":1.5")
        .contains("\"dvrSeconds\":1800").contains("\"record\":\"archive\"")
        .contains("\"srtPort\":9000");
    assertThat(ChannelMetadata.fromJson(news.toJson())).isEqualTo(news);
    assertThat(LiveSettings.of("abr").srtPort()).isZero();
    assertThatThrownBy(() -> settings.withSrtPort(70000))
        .hasMessageContaining("live.srtPort must be a UDP port");
    assertThat(news.toBuilder().build()).isEqualTo(news);
    assertThatThrownBy(() -> news.toBuilder().schedule(Schedule.of(Instant.now(), true, "a"))
        .build()).hasMessageContaining("linear or live, not both");
  }

  @Test
  void liveDurationsReadAsPeopleWriteThem() {
    assertThat(LiveSettings.parseDuration("30s", "--x")).isEqualTo(Duration.ofSeconds(30));
    assertThat(LiveSettings.parseDuration("5m", "--x")).isEqualTo(Duration.ofMinutes(5));
    assertThat(LiveSettings.parseDuration("1.5h", "--x")).isEqualTo(Duration.ofMinutes(90));
    assertThat(LiveSettings.parseDuration("45", "--x")).isEqualTo(Duration.ofSeconds(45));
    assertThat(LiveSettings.parseDuration("250ms", "--x")).isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> LiveSettings.parseDuration("-3s", "--dvr"))
        .hasMessageContaining("--dvr must be a duration");
    assertThatThrownBy(() -> LiveSettings.parseDuration("soon", "--dvr"))
        .hasMessageContaining("not 'soon'");
    assertThatThrownBy(() -> LiveSettings.of("abr").withDvr(Duration.ofSeconds(4)))
        .hasMessageContaining("three segments at least");
    assertThat(LiveSettings.Record.parse("yes")).isEqualTo(LiveSettings.Record.VOD);
    assertThatThrownBy(() -> LiveSettings.Record.parse("maybe"))
        .hasMessageContaining("off, vod");
  }

  @Test
  void aBadScheduleSaysWhichField() {
    String head = "{\"id\":\"news\",\"title\":\"News\",\"durationSeconds\":0,"
        + "\"playlist\":\"playlist.m3u8\",\"created\":\"2026-11-28T00:00:00Z\",";
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"linear\"}"))
        .isInstanceOf(StorageException.class).hasMessageContaining("needs a \"schedule\"");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"radio\"}"))
        .hasMessageContaining("\"kind\" must be \"vod\", \"linear\" or \"live\"");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"live\"}"))
        .hasMessageContaining("a live channel needs \"live\"");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"live\",\"live\":"
        + "{\"profile\":\"abr\",\"segmentSeconds\":9}}"))
        .hasMessageContaining("a live segment lasts 1 to 6 s");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"live\",\"live\":"
        + "{\"profile\":\"abr\",\"state\":\"paused\"}}"))
        .hasMessageContaining("live.state must be waiting, live or ended");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head
        + "\"kind\":\"linear\",\"schedule\":{\"items\":[{\"channel\":\"a\"}]}}"))
        .hasMessageContaining("schedule.start: missing");
    assertThatThrownBy(() -> ChannelMetadata.fromJson(head + "\"kind\":\"linear\",\"schedule\":"
        + "{\"start\":\"2026-11-28T00:00:00Z\",\"items\":[{\"channel\":\"A\"}]}}"))
        .hasMessageContaining("schedule.items[0].channel: 'A' is not a channel id");
  }
}
