package io.hlskit.core.playlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.HlsException;
import io.hlskit.core.PlaylistParseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed input fails with the line and what was expected; lenient mode reads the wild. */
class PlaylistParserErrorTest {
  private static final PlaylistParser STRICT = PlaylistParser.strict();
  private static final PlaylistParser LENIENT = PlaylistParser.lenient();

  private static String media(String... lines) {
    return "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n" + String.join("\n", lines)
        + "\n";
  }

  private static PlaylistParseException strictError(String text) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> STRICT.parse(text));
    assertThat(t).isInstanceOf(PlaylistParseException.class).isInstanceOf(HlsException.class);
    return (PlaylistParseException) t;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bad duration            | 4 | #EXTINF:abc,                 | must be a decimal number",
      "negative duration       | 4 | #EXTINF:-1,                  | must be a decimal number",
      "missing comma           | 4 | #EXTINF:4                    | the comma is missing",
      "uri without extinf      | 4 | seg.ts                       | without an #EXTINF before it",
      "bad byte range          | 5 | #EXT-X-BYTERANGE:x@1         | <length>[@<offset>]",
      "unknown key method      | 4 | #EXT-X-KEY:METHOD=ROT13,URI=\"k\" | must be NONE, AES-128 or SAMPLE-AES",
      "key without uri         | 4 | #EXT-X-KEY:METHOD=AES-128    | required attribute URI is missing",
      "bad iv                  | 4 | #EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x12 | IV must be 0x followed by 32",
      "unclosed quote          | 4 | #EXT-X-MAP:URI=\"init.mp4    | never closed",
      "bad date                | 4 | #EXT-X-PROGRAM-DATE-TIME:yesterday | ISO 8601",
      "unknown tag             | 4 | #EXT-X-FANCY:1               | unknown tag #EXT-X-FANCY",
      "value on valueless tag  | 4 | #EXT-X-ENDLIST:now           | takes no value",
      "bad playlist type       | 4 | #EXT-X-PLAYLIST-TYPE:LIVE    | must be EVENT or VOD",
      "trailing space          | 4 | '#EXT-X-ENDLIST '            | unexpected white space",
      "tiles without layout    | 5 | #EXT-X-TILES:RESOLUTION=320x180,DURATION=10 | LAYOUT is missing",
      "tiles bad layout        | 5 | #EXT-X-TILES:RESOLUTION=320x180,LAYOUT=ten,DURATION=10 | LAYOUT must be a decimal-resolution",
      "tiles zero duration     | 5 | #EXT-X-TILES:RESOLUTION=320x180,LAYOUT=2x2,DURATION=0 | DURATION must be positive",
  })
  void malformedLinesAreReportedWithTheirNumber(String what, int line, String bad,
      String expected) {
    String text = line == 5 ? media("#EXTINF:4,", bad, "seg.ts") : media(bad, "#EXTINF:4,", "s.ts");

    PlaylistParseException e = strictError(text);

    assertThat(e.line()).as(what).isEqualTo(line);
    assertThat(e.getMessage()).as(what).startsWith("line " + line + ": ").contains(expected);
  }

  @Test
  void tilesBelongInAnImagesOnlyPlaylist() {
    String text = media("#EXTINF:10,", "#EXT-X-TILES:RESOLUTION=320x180,LAYOUT=2x2,DURATION=2.5",
        "tiles.jpg");

    assertThat(strictError(text).getMessage()).contains("EXT-X-TILES, which only an"
        + " EXT-X-IMAGES-ONLY playlist may have");
    assertThat(STRICT.parseMedia(text.replace("#EXTINF:10,", "#EXT-X-IMAGES-ONLY\n#EXTINF:10,"))
        .segments().get(0).tiles()).isPresent();
  }

  @Test
  void theFirstLineMustBeTheHeader() {
    assertThat(strictError("#EXT-X-VERSION:3\n").getMessage())
        .isEqualTo("line 1: expected #EXTM3U on the first line, found '#EXT-X-VERSION:3'");
    assertThat(strictError("").getMessage()).contains("the playlist is empty");
    assertThat(strictError("\uFEFF#EXTM3U\n").getMessage()).contains("byte-order mark");
  }

  @Test
  void strictNeedsATargetDurationThatCoversEverySegment() {
    assertThat(strictError("#EXTM3U\n#EXTINF:4,\na.ts\n").getMessage())
        .contains("#EXT-X-TARGETDURATION is missing");
    PlaylistParseException e =
        strictError("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\na.ts\n#EXTINF:4.6,\nb.ts\n");
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage()).contains("4.6 s rounds to more than #EXT-X-TARGETDURATION:4");
    // 4.4 rounds to 4: allowed by RFC 8216 4.3.3.1
    assertThat(STRICT.parseMedia(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.4,\na.ts\n")
        .targetDuration()).isEqualTo(4);
    assertThat(strictError("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.4,\na.ts\n")
        .getMessage()).isEqualTo("#EXT-X-VERSION is missing, which means version 1: too low"
            + " for the features used, which need version 3");
  }

  @Test
  void strictRefusesAVersionTooLowForTheFeatures() {
    PlaylistParseException e = strictError("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n"
        + "#EXTINF:4,\n#EXT-X-BYTERANGE:100@0\na.ts\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("need version 4");
  }

  @Test
  void lenientDerivesWhatIsMissingOrWrong() {
    MediaPlaylist p = LENIENT.parseMedia("\uFEFF\n#EXTM3U\n#EXT-X-VERSION:3\n"
        + "#EXT-X-TARGETDURATION:2\n  #EXTINF:4.5\n#EXT-X-BYTERANGE:100@0\n a.ts \n");

    assertThat(p.targetDuration()).isEqualTo(5);
    assertThat(p.version()).isEqualTo(4);
    assertThat(p.segments()).singleElement().satisfies(s -> {
      assertThat(s.uri()).isEqualTo("a.ts");
      assertThat(s.duration()).isEqualTo(Duration.ofMillis(4500));
    });
    assertThat(STRICT.parse(PlaylistWriter.write(p))).isEqualTo(p);
  }

  @Test
  void lenientKeepsUnknownTagsWhereTheyStand() {
    String text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-ALLOW-CACHE:YES\n"
        + "#EXTINF:4,\na.ts\n#EXT-X-CUE-OUT:30\n#EXTINF:4,\nb.ts\n#EXT-X-ENDLIST\n";

    MediaPlaylist p = LENIENT.parseMedia(text);

    assertThat(p.unknownTags()).containsExactly("#EXT-X-ALLOW-CACHE:YES");
    assertThat(p.segments().get(0).unknownTags()).isEmpty();
    assertThat(p.segments().get(1).unknownTags()).containsExactly("#EXT-X-CUE-OUT:30");
    String written = PlaylistWriter.write(p);
    assertThat(written).contains("#EXT-X-CUE-OUT:30\n#EXTINF:4.000,\nb.ts\n");
    assertThat(LENIENT.parse(written)).isEqualTo(p);
    assertThat(strictError(written).getMessage()).contains("unknown tag #EXT-X-ALLOW-CACHE");
  }

  @Test
  void mediaAndMultivariantTagsDoNotMix() {
    PlaylistParseException e = strictError(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXTINF:4,\nb.ts\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("#EXT-X-STREAM-INF at line 2 made this a multivariant");
    assertThatThrownBy(() -> LENIENT.parse(
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n"))
        .isInstanceOf(PlaylistParseException.class).hasMessageContaining("line 3");
  }

  @Test
  void variantErrors() {
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n").getMessage())
        .isEqualTo("line 2: #EXT-X-STREAM-INF: the required attribute BANDWIDTH is missing");
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n").getMessage())
        .contains("line 2: #EXT-X-STREAM-INF is not followed by the URI");
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\nv.m3u8\n")
        .getMessage()).contains("names AUDIO group \"a\" but no EXT-X-MEDIA");
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\nv.m3u8\n")
        .getMessage()).contains("attribute BANDWIDTH appears twice");
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=wide\nv.m3u8\n")
        .getMessage()).contains("decimal-resolution such as 1280x720");
    assertThat(strictError("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\"1\"\nv.m3u8\n")
        .getMessage()).contains("BANDWIDTH must be an enumerated-string without quotes");
    assertThat(LENIENT.parseMultivariant("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=\"1\"\nv.m3u8\n")
        .variants().get(0).bandwidth()).isEqualTo(1);
  }

  @Test
  void unknownVariantAttributesAreKeptAndWrittenBack() {
    MultivariantPlaylist p = STRICT.parseMultivariant("#EXTM3U\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=1,VIDEO-RANGE=SDR,STABLE-VARIANT-ID=\"v1\"\nv.m3u8\n");

    assertThat(p.variants().get(0).otherAttributes())
        .containsEntry("VIDEO-RANGE", "SDR").containsEntry("STABLE-VARIANT-ID", "\"v1\"");
    assertThat(PlaylistWriter.write(p))
        .contains("BANDWIDTH=1,STABLE-VARIANT-ID=\"v1\",VIDEO-RANGE=SDR\n");
  }

  @Test
  void commentsAndBlankLinesAndCrLfAreFine() {
    MediaPlaylist p = STRICT.parseMedia(
        "#EXTM3U\r\n# a comment\r\n\r\n#EXT-X-TARGETDURATION:4\r\n#EXTINF:4,\r\na.ts\r\n");
    assertThat(p.segments()).extracting(MediaSegment::uri).containsExactly("a.ts");
  }

  @Test
  void typedParsesRefuseTheOtherKind() {
    assertThatThrownBy(() -> STRICT.parseMultivariant(media("#EXTINF:4,", "a.ts")))
        .isInstanceOf(PlaylistParseException.class).hasMessageContaining("found a media playlist");
    assertThatThrownBy(() -> STRICT.parseMedia("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na\n"))
        .isInstanceOf(PlaylistParseException.class)
        .hasMessageContaining("found a multivariant playlist");
  }

  private static final String LL = "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5";
  private static final String PART_INF = "#EXT-X-PART-INF:PART-TARGET=0.5";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "part without duration   | #EXT-X-PART:URI=\"p.ts\" | DURATION is missing",
      "part without uri        | #EXT-X-PART:DURATION=0.5 | URI is missing",
      "part longer than target | #EXT-X-PART:DURATION=0.6,URI=\"p.ts\" | more than the PART-TARGET of 0.5 s",
      "zero part               | #EXT-X-PART:DURATION=0,URI=\"p.ts\" | must last more than 0 s",
      "hint of a segment       | #EXT-X-PRELOAD-HINT:TYPE=SEGMENT,URI=\"n.ts\" | must be PART or MAP",
      "report part without msn | #EXT-X-RENDITION-REPORT:URI=\"b.m3u8\",LAST-PART=2 | LAST-PART needs LAST-MSN",
      "report without uri      | #EXT-X-RENDITION-REPORT:LAST-MSN=2 | URI is missing",
      "unknown control         | #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5,FAST=YES | attributes hlskit does not know",
  })
  void lowLatencyTagsAreChecked(String what, String bad, String expected) {
    String text = media(bad.startsWith("#EXT-X-SERVER-CONTROL") ? bad : LL, PART_INF,
        "#EXTINF:1,", "a.ts", bad.startsWith("#EXT-X-SERVER-CONTROL") ? "" : bad);

    assertThat(strictError(text).getMessage()).as(what).contains(expected);
  }

  @Test
  void lowLatencyRulesOfTheWholePlaylist() {
    String part = "#EXT-X-PART:DURATION=0.5,URI=\"p.ts\"";
    assertThat(strictError(media(part, "#EXTINF:1,", "a.ts")).getMessage())
        .contains("needs EXT-X-PART-INF");
    assertThat(strictError(media(PART_INF, part)).getMessage())
        .contains("needs EXT-X-SERVER-CONTROL with PART-HOLD-BACK");
    assertThat(strictError(media("#EXT-X-SERVER-CONTROL:PART-HOLD-BACK=0.9", PART_INF, part))
        .getMessage()).contains("PART-HOLD-BACK=0.9 is less than twice the PART-TARGET (1 s)");
    assertThat(strictError(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=30", "#EXTINF:10,",
        "a.ts")).getMessage()).contains("CAN-SKIP-UNTIL=30 is less than six target durations");
    assertThat(strictError(media("#EXT-X-SERVER-CONTROL:HOLD-BACK=20", "#EXTINF:10,", "a.ts"))
        .getMessage()).contains("less than three target durations");
    assertThat(strictError(media("#EXT-X-SERVER-CONTROL:CAN-SKIP-DATERANGES=YES", "#EXTINF:1,",
        "a.ts")).getMessage()).contains("CAN-SKIP-DATERANGES=YES needs CAN-SKIP-UNTIL");
    assertThat(strictError(media(LL, PART_INF, "#EXTINF:1,", "a.ts", "#EXT-X-SKIP:"
        + "SKIPPED-SEGMENTS=2")).getMessage()).contains("before the first media segment");
    assertThat(strictError(media(LL, PART_INF, "#EXT-X-SKIP:RECENTLY-REMOVED-DATERANGES=\"\"",
        "#EXTINF:1,", "a.ts")).getMessage()).contains("SKIPPED-SEGMENTS is missing");
    assertThat(strictError(media(LL, PART_INF, "#EXTINF:1,", "a.ts",
        "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"b.ts\"", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"c.ts\""))
        .getMessage()).contains("two EXT-X-PRELOAD-HINT of TYPE=PART");
    assertThat(strictError(media(LL, PART_INF, "#EXTINF:1,", part, "a.ts")).getMessage())
        .contains("parts come before its #EXTINF");
    assertThat(strictError(media("#EXTINF:1,", "a.ts", "#EXT-X-DISCONTINUITY")).getMessage())
        .contains("applies to no segment or part");
    // players read the end of a growing playlist; the lenient parser does too
    assertThat(LENIENT.parseMedia(media("#EXTINF:1,", "a.ts", "#EXT-X-DISCONTINUITY"))
        .segments()).hasSize(1);
  }
}
