package io.hlskit.core.playlist;

import io.hlskit.core.PlaylistParseException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the parser has read so far of one playlist; builds the model at the end. */
final class ParseState {
  private static final Logger LOG = LoggerFactory.getLogger(PlaylistParser.class);

  /** ISO 8601 with or without the colon in the offset: ffmpeg writes {@code +0000}. */
  static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter();

  final boolean strict;
  int line;

  private Tag.Scope kind = Tag.Scope.ANY;
  private int kindLine;
  private String kindTag;
  private final Set<Tag> seenOnce = EnumSet.noneOf(Tag.class);

  private Integer version;
  private int versionLine;
  private Integer targetDuration;
  private int targetDurationLine;
  private long mediaSequence;
  private long discontinuitySequence;
  private PlaylistType playlistType;
  boolean endList;
  boolean iFramesOnly;
  boolean imagesOnly;
  boolean independentSegments;
  private StartPoint start;
  private ServerControl serverControl;
  private Duration partTarget;
  private Skip skip;
  private final List<PreloadHint> preloadHints = new ArrayList<>();
  private final List<RenditionReport> renditionReports = new ArrayList<>();
  private final List<String> unknownTags = new ArrayList<>();

  // the segment being read
  private Duration pendingDuration;
  private String pendingTitle;
  private int pendingLine;
  private ByteRange pendingRange;
  private boolean pendingDiscontinuity;
  private OffsetDateTime pendingDateTime;
  private Tiles pendingTiles;
  private final List<PartialSegment> pendingParts = new ArrayList<>();
  private final List<String> pendingUnknown = new ArrayList<>();
  private SegmentKey currentKey;
  private InitializationSection currentMap;
  /** Whether an EXT-X-MAP came after the last segment: it starts with the open segment. */
  private boolean mapSinceSegment;
  private final List<MediaSegment> segments = new ArrayList<>();
  private final List<Integer> segmentLines = new ArrayList<>();

  // multivariant
  private AttributeList pendingStreamInf;
  private int pendingStreamInfLine;
  private final List<Variant> variants = new ArrayList<>();
  private final List<IFrameVariant> iFrameVariants = new ArrayList<>();
  private final List<ImageVariant> imageVariants = new ArrayList<>();
  private final List<Rendition> renditions = new ArrayList<>();
  private final List<SessionData> sessionData = new ArrayList<>();

  ParseState(boolean strict) {
    this.strict = strict;
  }

  PlaylistParseException error(String problem) {
    return new PlaylistParseException(line, problem);
  }

  /** Called before each known tag is read: decides the kind and refuses repeated tags. */
  void beforeTag(Tag tag) {
    if (tag.scope != Tag.Scope.ANY) {
      if (kind == Tag.Scope.ANY) {
        kind = tag.scope;
        kindLine = line;
        kindTag = tag.name;
      } else if (kind != tag.scope) {
        throw error(tag.name + " is a " + describe(tag.scope) + " tag, but " + kindTag
            + " at line " + kindLine + " made this a " + describe(kind)
            + "; a playlist is one or the other");
      }
    }
    if (pendingStreamInf != null && strict) {
      throw error("expected the URI of the variant declared by #EXT-X-STREAM-INF at line "
          + pendingStreamInfLine + ", found " + tag.name);
    }
  }

  private static String describe(Tag.Scope scope) {
    return scope == Tag.Scope.MEDIA ? "media playlist" : "multivariant playlist";
  }

  private void once(Tag tag) {
    if (!seenOnce.add(tag) && strict) {
      throw error(tag.name + " appears more than once; it may appear once per playlist");
    }
  }

  private void beforeFirstSegment(Tag tag) {
    if (strict && (!segments.isEmpty() || pendingDuration != null)) {
      throw error(tag.name + " must appear before the first media segment");
    }
  }

  void duplicateHeader() {
    throw error("#EXTM3U appears again; it belongs on the first line only");
  }

  void version(String value) {
    once(Tag.VERSION);
    version = smallInteger(Tag.VERSION, integer(Tag.VERSION, value));
    versionLine = line;
    if (version < 1) {
      throw error("#EXT-X-VERSION must be at least 1, found " + value);
    }
  }

  void start(String value) {
    once(Tag.START);
    AttributeList a = AttributeList.parse(value, Tag.START.name, line, strict);
    BigDecimal offset = a.decimal("TIME-OFFSET", true)
        .orElseThrow(() -> error("#EXT-X-START: the required attribute TIME-OFFSET is missing"));
    start = new StartPoint(Decimals.toDuration(offset, line, "#EXT-X-START TIME-OFFSET"),
        a.yesNo("PRECISE"));
    checkNoOther(a, Tag.START);
  }

  void targetDuration(String value) {
    once(Tag.TARGETDURATION);
    targetDurationLine = line;
    if (!strict && value.indexOf('.') >= 0) {
      BigDecimal d = Decimals.parse(value, false, line, Tag.TARGETDURATION.name);
      BigDecimal whole = d.setScale(0, RoundingMode.CEILING);
      targetDuration = smallInteger(Tag.TARGETDURATION,
          whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE
              : whole.longValue());
      return;
    }
    targetDuration = smallInteger(Tag.TARGETDURATION, integer(Tag.TARGETDURATION, value));
  }

  /** A value that must fit an int; RFC 8216 allows larger integers, no playlist needs them. */
  private int smallInteger(Tag tag, long value) {
    if (value > Integer.MAX_VALUE) {
      throw error(tag.name + ":" + value + " is too large; at most " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  void mediaSequence(String value) {
    once(Tag.MEDIA_SEQUENCE);
    beforeFirstSegment(Tag.MEDIA_SEQUENCE);
    mediaSequence = integer(Tag.MEDIA_SEQUENCE, value);
  }

  void discontinuitySequence(String value) {
    once(Tag.DISCONTINUITY_SEQUENCE);
    beforeFirstSegment(Tag.DISCONTINUITY_SEQUENCE);
    discontinuitySequence = integer(Tag.DISCONTINUITY_SEQUENCE, value);
  }

  void playlistType(String value) {
    once(Tag.PLAYLIST_TYPE);
    try {
      playlistType = PlaylistType.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw error("#EXT-X-PLAYLIST-TYPE must be EVENT or VOD, found '" + value + "'");
    }
  }

  void extinf(String value) {
    if (pendingDuration != null) {
      throw error("#EXTINF follows the #EXTINF at line " + pendingLine
          + " without a segment URI between them");
    }
    int comma = value.indexOf(',');
    if (comma < 0 && strict) {
      throw error("#EXTINF must be <duration>,[<title>]: the comma is missing in '" + value + "'");
    }
    String number = comma < 0 ? value : value.substring(0, comma);
    if (!strict) {
      number = number.strip();
    }
    pendingDuration = Decimals.parseDuration(number, line, "#EXTINF duration");
    if (pendingDuration.compareTo(MediaSegment.MAX_DURATION) > 0) {
      throw error("#EXTINF duration " + number + " is too large; at most "
          + Integer.MAX_VALUE + " s");
    }
    String title = comma < 0 ? "" : value.substring(comma + 1);
    pendingTitle = title.isEmpty() ? null : title;
    pendingLine = line;
  }

  void byteRange(String value) {
    if (pendingRange != null) {
      throw error("#EXT-X-BYTERANGE appears twice for one segment");
    }
    pendingRange = ByteRanges.parse(value, line, Tag.BYTERANGE.name);
  }

  void discontinuity() {
    pendingDiscontinuity = true;
  }

  void key(String value) {
    AttributeList a = AttributeList.parse(value, Tag.KEY.name, line, strict);
    String method = a.requiredEnumerated("METHOD");
    if (method.equals("NONE")) {
      if (strict && (a.quoted("URI").isPresent() || a.enumerated("IV").isPresent())) {
        throw error("#EXT-X-KEY with METHOD=NONE must not have a URI or an IV");
      }
      currentKey = null;
      return;
    }
    KeyMethod m = KeyMethod.fromText(method);
    if (m == null) {
      throw error("#EXT-X-KEY METHOD must be NONE, AES-128 or SAMPLE-AES, found " + method);
    }
    currentKey = model(() -> new SegmentKey(m, a.requiredQuoted("URI"), a.enumerated("IV"),
        a.quoted("KEYFORMAT"), a.quoted("KEYFORMATVERSIONS")));
    checkNoOther(a, Tag.KEY);
  }

  void map(String value) {
    AttributeList a = AttributeList.parse(value, Tag.MAP.name, line, strict);
    mapSinceSegment = true;
    currentMap = model(() -> new InitializationSection(a.requiredQuoted("URI"),
        a.byteRange("BYTERANGE")));
    checkNoOther(a, Tag.MAP);
  }

  void programDateTime(String value) {
    try {
      pendingDateTime = OffsetDateTime.parse(value, DATE_TIME);
    } catch (DateTimeParseException e) {
      throw error("#EXT-X-PROGRAM-DATE-TIME must be an ISO 8601 date-time with an offset such as"
          + " 2026-11-25T14:30:00.000Z, found '" + value + "'");
    }
  }

  void rendition(String value) {
    AttributeList a = AttributeList.parse(value, Tag.MEDIA.name, line, strict);
    String typeText = a.requiredEnumerated("TYPE");
    RenditionType type = RenditionType.fromText(typeText);
    if (type == null) {
      throw error("#EXT-X-MEDIA TYPE must be AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS, found "
          + typeText);
    }
    renditions.add(model(() -> new Rendition(type, a.requiredQuoted("GROUP-ID"),
        a.requiredQuoted("NAME"), a.quoted("URI"), a.quoted("LANGUAGE"),
        a.quoted("ASSOC-LANGUAGE"), a.yesNo("DEFAULT"), a.yesNo("AUTOSELECT"), a.yesNo("FORCED"),
        a.quoted("INSTREAM-ID"), a.quoted("CHARACTERISTICS"), a.quoted("CHANNELS"),
        a.unread())));
  }

  void streamInf(String value) {
    if (pendingStreamInf != null) {
      throw error("#EXT-X-STREAM-INF follows the one at line " + pendingStreamInfLine
          + " without a URI between them");
    }
    pendingStreamInf = AttributeList.parse(value, Tag.STREAM_INF.name, line, strict);
    pendingStreamInfLine = line;
  }

  void iFrameStreamInf(String value) {
    AttributeList a = AttributeList.parse(value, Tag.I_FRAME_STREAM_INF.name, line, strict);
    iFrameVariants.add(model(() -> new IFrameVariant(a.requiredQuoted("URI"),
        a.requiredDecimalInteger("BANDWIDTH"), a.decimalInteger("AVERAGE-BANDWIDTH"),
        a.codecs("CODECS"), a.resolution("RESOLUTION"), a.enumerated("HDCP-LEVEL"),
        a.quoted("VIDEO"), a.unread())));
  }

  void imageStreamInf(String value) {
    AttributeList a = AttributeList.parse(value, Tag.IMAGE_STREAM_INF.name, line, strict);
    imageVariants.add(model(() -> new ImageVariant(a.requiredQuoted("URI"),
        a.requiredDecimalInteger("BANDWIDTH"), a.decimalInteger("AVERAGE-BANDWIDTH"),
        a.codecs("CODECS"), a.resolution("RESOLUTION"), a.quoted("VIDEO"), a.unread())));
  }

  void tiles(String value) {
    if (pendingTiles != null) {
      throw error("#EXT-X-TILES appears twice for one segment");
    }
    AttributeList a = AttributeList.parse(value, Tag.TILES.name, line, strict);
    Resolution size = a.resolution("RESOLUTION").orElseThrow(() -> error(
        "#EXT-X-TILES: the required attribute RESOLUTION is missing"));
    Resolution layout = a.resolution("LAYOUT").orElseThrow(() -> error(
        "#EXT-X-TILES: the required attribute LAYOUT is missing"));
    Duration each = a.decimal("DURATION", false).map(d -> Decimals.toDuration(d, line,
        "#EXT-X-TILES DURATION")).orElseThrow(() -> error(
        "#EXT-X-TILES: the required attribute DURATION is missing"));
    pendingTiles = model(() -> new Tiles(size, layout, each, a.unread()));
  }

  void sessionData(String value) {
    AttributeList a = AttributeList.parse(value, Tag.SESSION_DATA.name, line, strict);
    sessionData.add(model(() -> new SessionData(a.requiredQuoted("DATA-ID"), a.quoted("VALUE"),
        a.quoted("URI"), a.quoted("LANGUAGE"))));
    checkNoOther(a, Tag.SESSION_DATA);
  }

  void part(String value) {
    if (pendingDuration != null) {
      throw error("#EXT-X-PART follows the #EXTINF at line " + pendingLine
          + "; a segment's parts come before its #EXTINF");
    }
    AttributeList a = AttributeList.parse(value, Tag.PART.name, line, strict);
    Duration d = requiredDuration(a, "DURATION", Tag.PART);
    pendingParts.add(model(() -> new PartialSegment(a.requiredQuoted("URI"), d,
        a.yesNo("INDEPENDENT"), a.byteRange("BYTERANGE"), a.yesNo("GAP"))));
    checkNoOther(a, Tag.PART);
  }

  void partInf(String value) {
    once(Tag.PART_INF);
    AttributeList a = AttributeList.parse(value, Tag.PART_INF.name, line, strict);
    partTarget = requiredDuration(a, "PART-TARGET", Tag.PART_INF);
    checkNoOther(a, Tag.PART_INF);
  }

  void serverControl(String value) {
    once(Tag.SERVER_CONTROL);
    AttributeList a = AttributeList.parse(value, Tag.SERVER_CONTROL.name, line, strict);
    serverControl = model(() -> new ServerControl(a.yesNo("CAN-BLOCK-RELOAD"),
        duration(a, "CAN-SKIP-UNTIL", Tag.SERVER_CONTROL), a.yesNo("CAN-SKIP-DATERANGES"),
        duration(a, "HOLD-BACK", Tag.SERVER_CONTROL),
        duration(a, "PART-HOLD-BACK", Tag.SERVER_CONTROL)));
    checkNoOther(a, Tag.SERVER_CONTROL);
  }

  void skip(String value) {
    once(Tag.SKIP);
    beforeFirstSegment(Tag.SKIP);
    AttributeList a = AttributeList.parse(value, Tag.SKIP.name, line, strict);
    long count = a.requiredDecimalInteger("SKIPPED-SEGMENTS");
    Optional<List<String>> removed = a.quoted("RECENTLY-REMOVED-DATERANGES")
        .map(v -> v.isEmpty() ? List.<String>of() : List.of(v.split("\t", -1)));
    skip = model(() -> new Skip(count, removed));
    checkNoOther(a, Tag.SKIP);
  }

  void preloadHint(String value) {
    AttributeList a = AttributeList.parse(value, Tag.PRELOAD_HINT.name, line, strict);
    String typeText = a.requiredEnumerated("TYPE");
    PreloadHint.Type type;
    try {
      type = PreloadHint.Type.valueOf(typeText);
    } catch (IllegalArgumentException e) {
      throw error("#EXT-X-PRELOAD-HINT TYPE must be PART or MAP, found " + typeText);
    }
    preloadHints.add(model(() -> new PreloadHint(type, a.requiredQuoted("URI"),
        a.decimalInteger("BYTERANGE-START"), a.decimalInteger("BYTERANGE-LENGTH"))));
    checkNoOther(a, Tag.PRELOAD_HINT);
  }

  void renditionReport(String value) {
    AttributeList a = AttributeList.parse(value, Tag.RENDITION_REPORT.name, line, strict);
    renditionReports.add(model(() -> new RenditionReport(a.requiredQuoted("URI"),
        a.decimalInteger("LAST-MSN"), a.decimalInteger("LAST-PART"))));
    checkNoOther(a, Tag.RENDITION_REPORT);
  }

  private Duration requiredDuration(AttributeList a, String name, Tag tag) {
    return duration(a, name, tag).orElseThrow(() -> error(tag.name
        + ": the required attribute " + name + " is missing"));
  }

  private Optional<Duration> duration(AttributeList a, String name, Tag tag) {
    return a.decimal(name, false).map(d -> Decimals.toDuration(d, line, tag.name + " " + name));
  }

  /** A tag hlskit does not model: kept where it stands in lenient mode, refused in strict. */
  void unknownTag(String tagLine) {
    if (strict) {
      int colon = tagLine.indexOf(':');
      throw error("unknown tag " + (colon < 0 ? tagLine : tagLine.substring(0, colon))
          + "; parse leniently to keep tags that hlskit does not model");
    }
    if (kind == Tag.Scope.MEDIA && (pendingDuration != null || !segments.isEmpty())) {
      pendingUnknown.add(tagLine);
    } else {
      unknownTags.add(tagLine);
    }
  }

  void uri(String uri) {
    if (kind == Tag.Scope.MULTIVARIANT || pendingStreamInf != null) {
      if (pendingStreamInf == null) {
        throw error("found the URI '" + uri + "' without an #EXT-X-STREAM-INF before it");
      }
      AttributeList a = pendingStreamInf;
      variants.add(model(() -> new Variant(uri, a.requiredDecimalInteger("BANDWIDTH"),
          a.decimalInteger("AVERAGE-BANDWIDTH"), a.codecs("CODECS"), a.resolution("RESOLUTION"),
          a.decimal("FRAME-RATE", false), a.enumerated("HDCP-LEVEL"), a.quoted("AUDIO"),
          a.quoted("VIDEO"), a.quoted("SUBTITLES"), a.closedCaptions(), a.unread())));
      pendingStreamInf = null;
      return;
    }
    if (pendingDuration == null) {
      throw error("found the segment URI '" + uri + "' without an #EXTINF before it");
    }
    kind = Tag.Scope.MEDIA;
    MediaSegment segment = model(() -> new MediaSegment(uri, pendingDuration,
        Optional.ofNullable(pendingTitle), Optional.ofNullable(pendingRange),
        pendingDiscontinuity, Optional.ofNullable(pendingDateTime),
        Optional.ofNullable(currentKey), Optional.ofNullable(currentMap),
        Optional.ofNullable(pendingTiles), pendingParts, pendingUnknown));
    segments.add(segment);
    segmentLines.add(pendingLine);
    pendingDuration = null;
    pendingTitle = null;
    pendingRange = null;
    pendingDiscontinuity = false;
    pendingDateTime = null;
    mapSinceSegment = false;
    pendingTiles = null;
    pendingParts.clear();
    pendingUnknown.clear();
  }

  /** Builds the playlist once every line has been read. */
  Playlist finish() {
    line = 0;
    if (pendingDuration != null) {
      throw new PlaylistParseException(pendingLine, "#EXTINF is not followed by a segment URI");
    }
    if (pendingStreamInf != null) {
      throw new PlaylistParseException(pendingStreamInfLine,
          "#EXT-X-STREAM-INF is not followed by the URI of its variant");
    }
    Playlist playlist = kind == Tag.Scope.MULTIVARIANT ? finishMultivariant() : finishMedia();
    if (version != null && playlist.version() != version) {
      LOG.debug("EXT-X-VERSION:{} at line {} raised to {} for the features used", version,
          versionLine, playlist.version());
    }
    return playlist;
  }

  private MediaPlaylist finishMedia() {
    unknownTags.addAll(pendingUnknown);
    OpenSegment open = null;
    if (!pendingParts.isEmpty()) {
      open = model(() -> new OpenSegment(pendingDiscontinuity,
          Optional.ofNullable(pendingDateTime),
          mapSinceSegment ? Optional.ofNullable(currentMap) : Optional.empty(), pendingParts));
    } else if (strict && (pendingDiscontinuity || pendingDateTime != null)) {
      throw error((pendingDiscontinuity ? "#EXT-X-DISCONTINUITY" : "#EXT-X-PROGRAM-DATE-TIME")
          + " at the end applies to no segment or part");
    }
    if (strict && targetDuration == null) {
      throw error("#EXT-X-TARGETDURATION is missing; every media playlist needs it");
    }
    Optional<Integer> declaredTarget = Optional.ofNullable(targetDuration);
    if (targetDuration != null) {
      for (int i = 0; i < segments.size(); i++) {
        Duration d = segments.get(i).duration();
        long rounded = d.getSeconds() + (d.getNano() >= 500_000_000 ? 1 : 0);
        if (rounded > targetDuration) {
          if (strict) {
            throw new PlaylistParseException(segmentLines.get(i), "#EXTINF duration "
                + Decimals.seconds(d) + " s rounds to more than #EXT-X-TARGETDURATION:"
                + targetDuration + " (line " + targetDurationLine + ")");
          }
          declaredTarget = Optional.empty();
          break;
        }
      }
    }
    Optional<Integer> declaredVersion = Optional.ofNullable(version).or(() -> Optional.of(1));
    int needed = Versions.media(segments, iFramesOnly, skip != null);
    if (declaredVersion.get() < needed) {
      if (strict) {
        throw new PlaylistParseException(versionLine, (version == null
            ? "#EXT-X-VERSION is missing, which means version 1:"
            : "#EXT-X-VERSION:" + version + " is") + " too low for the features used, which"
            + " need version " + needed);
      }
      declaredVersion = Optional.empty();
    }
    Optional<Integer> target = declaredTarget;
    Optional<Integer> v = declaredVersion;
    Optional<OpenSegment> openSegment = Optional.ofNullable(open);
    return model(() -> new MediaPlaylist(segments, target, mediaSequence, discontinuitySequence,
        Optional.ofNullable(playlistType), endList, iFramesOnly, imagesOnly,
        independentSegments, Optional.ofNullable(start), Optional.ofNullable(serverControl),
        Optional.ofNullable(partTarget), Optional.ofNullable(skip), openSegment, preloadHints,
        renditionReports, v, unknownTags));
  }

  private MultivariantPlaylist finishMultivariant() {
    Optional<Integer> declaredVersion = Optional.ofNullable(version).or(() -> Optional.of(1));
    int needed = Versions.multivariant(renditions);
    if (declaredVersion.get() < needed) {
      if (strict) {
        throw new PlaylistParseException(versionLine, (version == null
            ? "#EXT-X-VERSION is missing, which means version 1:"
            : "#EXT-X-VERSION:" + version + " is") + " too low for the features used, which"
            + " need version " + needed);
      }
      declaredVersion = Optional.empty();
    }
    Optional<Integer> v = declaredVersion;
    return model(() -> new MultivariantPlaylist(variants, iFrameVariants, imageVariants,
        renditions,
        sessionData, independentSegments, Optional.ofNullable(start), v, unknownTags));
  }

  private long integer(Tag tag, String value) {
    try {
      if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '+') {
        throw new NumberFormatException();
      }
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw error(tag.name + " must be a decimal-integer, found '" + value + "'");
    }
  }

  private void checkNoOther(AttributeList a, Tag tag) {
    if (strict && !a.unread().isEmpty()) {
      throw error(tag.name + " has attributes hlskit does not know: " + a.unread().keySet());
    }
  }

  /** Runs a model constructor, turning its complaint into a parse error at this line. */
  private <T> T model(java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(e.getMessage());
    }
  }
}
