package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LadderTest {

  @Test
  void aLadderOfYourOwnIsReadLowestFirst() {
    Ladder ladder = Ladder.parse("1080p:4500k,540p:1200k, 240p:300k");

    assertThat(ladder.renditions()).extracting(Rendition::folderName)
        .containsExactly("240p", "540p", "1080p");
    Rendition top = ladder.renditions().get(2);
    assertThat(top.shortSide()).isEqualTo(1080);
    assertThat(top.videoBitrate()).isEqualTo(4_500_000);
    assertThat(top.maxRate()).isEqualTo(6_750_000);
    assertThat(top.bufferSize()).isEqualTo(9_000_000);
    assertThat(top.encoder()).isEqualTo(VideoEncoder.H264);
    assertThat(top.preset()).isEqualTo("fast");
    assertThat(top.quality()).isEqualTo(OptionalInt.empty());
    assertThat(ladder.isAdaptive()).isTrue();
    assertThat(ladder.audioBitrate()).isEqualTo(128_000);
    assertThat(ladder).hasToString("240p:300k,540p:1200k,1080p:4500k");
    assertThat(Ladder.parse(ladder.toString())).isEqualTo(ladder);
  }

  @Test
  void theNamedProfilesArePresetsOfRenditions() {
    assertThat(Ladder.parse("abr")).isEqualTo(Ladder.parse("1080p:3000k,720p:1500k,360p:500k"));
    assertThat(Ladder.parse("medium")).isEqualTo(Ladder.of(Rendition.parse("720p:1500k")));
    assertThat(Ladder.parse("source").remux()).isTrue();
    assertThat(Profile.LOW.rendition()).isEqualTo(Rendition.builder(360, 500_000).build());
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''                       | the ladder is empty",
      "720p:1500k,720p:2000k    | two renditions are named 720p",
      "720p:40k                 | 720p: the video bit rate 40k must be 50k to 50000k",
      "720p:60000k              | the video bit rate 60000k must be 50k to 50000k",
      "100p:300k                | rendition 100p: the height (the short side of the picture) must"
          + " be 144 to 4320",
      "5000p:9000k              | rendition 5000p: the height",
      "720:1500k                | rendition '720:1500k': write the height in pixels and the video"
          + " bit rate in kb/s, as 1080p:4500k",
      "720p:1500k,,360p:500k    | rendition '': write the height",
      "ultra                    | unknown profile 'ultra'"})
  void aBadLadderIsRefusedNamingThePart(String spec, String message) {
    assertThatThrownBy(() -> Ladder.parse(spec)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void autoQualityGivesEachRenditionAQualityTargetUnderItsBitRate() {
    Ladder auto = Ladder.ABR.withAutoQuality();

    assertThat(auto.renditions()).extracting(r -> r.quality().orElseThrow())
        .containsExactly(24, 25, 26);
    assertThat(auto.renditions()).allSatisfy(r -> {
      assertThat(r.maxRate()).isEqualTo(r.videoBitrate());
      assertThat(r.bufferSize()).isEqualTo(2 * r.videoBitrate());
    });
    Rendition own = Rendition.builder(720, 2_000_000).quality(20).build();
    assertThat(Ladder.of(own).withAutoQuality().renditions()).containsExactly(own);
    assertThat(Ladder.SOURCE.withAutoQuality()).isSameAs(Ladder.SOURCE);
  }

  @Test
  void renditionsOfOneSizeNeedNamesOfTheirOwn() {
    Rendition low = Rendition.builder(720, 1_500_000).name("720p-low").build();
    Rendition high = Rendition.builder(720, 3_000_000).build();

    assertThat(Ladder.of(high, low).renditions()).extracting(Rendition::folderName)
        .containsExactly("720p-low", "720p");
    assertThatThrownBy(() -> Rendition.builder(720, 1_500_000).name("Bad Name").build())
        .hasMessageContaining("rendition name 'Bad Name'");
    assertThatThrownBy(() -> Rendition.builder(720, 1_500_000).name("keys").build())
        .hasMessageContaining("kept for the channel's keys folder");
  }

  @Test
  void rateControlAndEncoderSettingsAreChecked() {
    assertThatThrownBy(() -> Rendition.builder(720, 1_500_000).maxRate(1_000_000).build())
        .hasMessageContaining("the max rate 1000k must be at least the bit rate (1500k)");
    assertThatThrownBy(() -> Rendition.builder(720, 1_500_000).quality(60).build())
        .hasMessageContaining("the quality target 60 must be 0 to 51");
    assertThatThrownBy(() -> Rendition.builder(720, 1_500_000).preset("turbo").build())
        .hasMessageContaining("unknown preset 'turbo'");
    assertThatThrownBy(() -> Ladder.ABR.withAudioBitrate(8_000))
        .hasMessageContaining("the audio bit rate 8k must be 32k to 512k");
    assertThat(VideoEncoder.of("hevc")).isEqualTo(VideoEncoder.X265);
    assertThatThrownBy(() -> VideoEncoder.of("vp9")).hasMessageContaining("unknown video encoder");
  }

  @Test
  void hevcRenditionsNeedFragmentedMp4() {
    Ladder hevc = Ladder.of(Rendition.builder(720, 1_000_000).encoder(VideoEncoder.X265).build());

    assertThatThrownBy(() -> TranscodeRequest.builder(Path.of("in.mp4"), "ch").ladder(hevc)
        .build()).hasMessageContaining("HEVC renditions need fragmented MP4 segments");
    assertThat(TranscodeRequest.builder(Path.of("in.mp4"), "ch").ladder(hevc)
        .format(SegmentFormat.FMP4).build().ladder()).isEqualTo(hevc);
  }
}
