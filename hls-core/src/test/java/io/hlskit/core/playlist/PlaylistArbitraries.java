package io.hlskit.core.playlist;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid playlists, covering every modelled tag and attribute. */
final class PlaylistArbitraries {
  private PlaylistArbitraries() {}

  static Arbitrary<String> uris() {
    Arbitrary<String> relative = Arbitraries.strings().withChars("abcxyz0123456789_-/.")
        .ofMinLength(1).ofMaxLength(20).map(s -> "s" + s + ".ts");
    Arbitrary<String> absolute = Arbitraries.strings().alpha().numeric().ofMinLength(1)
        .ofMaxLength(12).map(s -> "https://cdn.example.com/a%20b/" + s + ".ts?token=x,y");
    return Arbitraries.oneOf(relative, absolute);
  }

  /**
   * Text for quoted-strings: anything but a double quote and control characters (RFC 8216 4.1
   * forbids them in a playlist), unicode included.
   */
  static Arbitrary<String> quotable() {
    return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(16)
        .filter(s -> s.indexOf('"') < 0 && noControls(s))
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
  }

  static boolean noControls(String s) {
    return s.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f);
  }

  static Arbitrary<Duration> durations() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 12_000).map(Duration::ofMillis),
        Arbitraries.longs().between(0, 12_000_000_000L).map(Duration::ofNanos),
        Arbitraries.integers().between(0, 12).map(Duration::ofSeconds));
  }

  static Arbitrary<SegmentKey> keys() {
    Arbitrary<Optional<String>> iv = Arbitraries.strings().withChars("0123456789abcdefABCDEF")
        .ofLength(32).map(h -> "0x" + h).optional();
    return Combinators.combine(Arbitraries.of(KeyMethod.class), uris(), iv,
            quotable().filter(s -> !s.isEmpty()).optional(),
            Arbitraries.of("1", "1/2/5").optional())
        .as(SegmentKey::new);
  }

  static Arbitrary<InitializationSection> maps() {
    Arbitrary<Optional<ByteRange>> range = Combinators.combine(
        Arbitraries.longs().between(1, 1_000_000), Arbitraries.longs().between(0, 1_000_000))
        .as(ByteRange::of).optional();
    return Combinators.combine(Arbitraries.of("init.mp4", "init_1.mp4", "https://x.example/i.mp4"),
        range).as(InitializationSection::new);
  }

  static Arbitrary<OffsetDateTime> dateTimes() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 4_000_000_000_000L),
            Arbitraries.of(ZoneOffset.UTC, ZoneOffset.ofHours(8), ZoneOffset.ofHoursMinutes(-5, -30)))
        .as((ms, zone) -> OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), zone));
  }

  /** A media playlist whose segments follow the sticky KEY and MAP rules of RFC 8216. */
  static Arbitrary<MediaPlaylist> mediaPlaylists() {
    Arbitrary<List<SegmentSpec>> specs = segmentSpecs().list().ofMaxSize(12);
    Arbitrary<boolean[]> flags = Arbitraries.of(true, false).array(boolean[].class).ofSize(4);
    return Combinators.combine(specs, keys().optional(), maps().optional(),
            Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(0, 1000),
            Arbitraries.of(PlaylistType.class).optional(), flags)
        .as((segmentSpecs, firstKey, firstMap, mediaSequence, discontinuitySequence, type, f) -> {
          boolean endList = f[0];
          boolean iFramesOnly = f[1];
          boolean independent = f[2];
          boolean imagesOnly = f[3] && !iFramesOnly;
          MediaPlaylist.Builder b = MediaPlaylist.builder()
              .mediaSequence(mediaSequence)
              .discontinuitySequence(discontinuitySequence)
              .playlistType(type.orElse(null))
              .endList(endList)
              .iFramesOnly(iFramesOnly)
              .imagesOnly(imagesOnly)
              .independentSegments(independent);
          Optional<SegmentKey> key = firstKey;
          Optional<InitializationSection> map = firstMap;
          MediaSegment previous = null;
          for (SegmentSpec spec : segmentSpecs) {
            if (spec.changeKey) {
              key = spec.key;
            }
            if (spec.newMap.isPresent()) {
              map = spec.newMap;
            }
            ByteRange range = spec.range.orElse(null);
            String uri = spec.uri;
            if (range != null && range.offset().isEmpty()) {
              if (previous != null && previous.byteRange().isPresent()) {
                uri = previous.uri();
              } else {
                range = ByteRange.of(range.length(), 0);
              }
            }
            previous = MediaSegment.builder(uri, spec.duration)
                .title(spec.title.orElse(null))
                .byteRange(range)
                .discontinuity(spec.discontinuity)
                .programDateTime(spec.dateTime.orElse(null))
                .key(key.orElse(null))
                .map(map.orElse(null))
                .tiles(imagesOnly ? spec.tiles.orElse(null) : null)
                .build();
            b.addSegment(previous);
          }
          return b;
        })
        .flatMap(b -> Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3),
                Combinators.combine(durations(), Arbitraries.of(true, false))
                    .as(StartPoint::new).optional())
            .as((extraTarget, extraVersion, start) -> {
              MediaPlaylist base = b.build();
              MediaPlaylist.Builder withExtras = base.toBuilder().start(start.orElse(null));
              if (extraTarget > 0) {
                withExtras.targetDuration(base.targetDuration() + extraTarget);
              }
              if (extraVersion > 0) {
                withExtras.version(base.version() + extraVersion);
              }
              return withExtras.build();
            }))
        .flatMap(p -> lowLatency(p).optional(0.5).map(o -> o.orElse(p)));
  }

  /** {@code p} as a low-latency live playlist: parts, server control, hints, reports, skip. */
  static Arbitrary<MediaPlaylist> lowLatency(MediaPlaylist p) {
    Arbitrary<Duration> partTargets = Arbitraries.integers().between(1, 4000)
        .map(ms -> Duration.ofMillis(ms).plusNanos(ms % 7 == 0 ? 123_456 : 0));
    return partTargets.flatMap(target -> {
      Arbitrary<PartialSegment> parts = Combinators.combine(uris(),
              Arbitraries.longs().between(1, target.toNanos()).map(Duration::ofNanos),
              Arbitraries.of(true, false),
              Combinators.combine(Arbitraries.longs().between(1, 100_000),
                  Arbitraries.longs().between(0, 100_000)).as(ByteRange::of).optional(0.2),
              Arbitraries.of(true, false).optional(0.1).map(o -> o.orElse(false)))
          .as(PartialSegment::new);
      Arbitrary<List<List<PartialSegment>>> perSegment = parts.list().ofMaxSize(4)
          .list().ofSize(p.segments().size());
      // a new initialization section may start with the open segment (a broadcast that
      // started again in fragmented MP4)
      Arbitrary<Optional<OpenSegment>> open = Combinators.combine(Arbitraries.of(true, false),
              dateTimes().optional(0.5), maps().optional(0.2),
              parts.list().ofMinSize(1).ofMaxSize(3))
          .as(OpenSegment::new).optional(0.7);
      Duration td = Duration.ofSeconds(p.targetDuration());
      Arbitrary<ServerControl> control = Combinators.combine(Arbitraries.of(true, false),
              Arbitraries.integers().between(0, 5000).optional(0.6),
              Arbitraries.of(true, false),
              Arbitraries.integers().between(0, 5000).optional(0.3),
              Arbitraries.integers().between(0, 3000))
          .as((block, skipExtra, dateRanges, holdExtra, partExtra) -> new ServerControl(block,
              skipExtra.map(ms -> td.multipliedBy(6).plusMillis(ms)),
              dateRanges && skipExtra.isPresent(),
              holdExtra.map(ms -> td.multipliedBy(3).plusMillis(ms)),
              Optional.of(target.multipliedBy(2).plusMillis(partExtra))));
      Arbitrary<List<PreloadHint>> hints = Combinators.combine(
              uris().map(PreloadHint::part).optional(0.7),
              Combinators.combine(uris(), Arbitraries.longs().between(0, 1000).optional(),
                  Arbitraries.longs().between(1, 1000).optional())
                  .as((u, start, length) -> new PreloadHint(PreloadHint.Type.MAP, u, start,
                      length)).optional(0.2))
          .as((part, map) -> {
            List<PreloadHint> list = new ArrayList<>();
            part.ifPresent(list::add);
            map.ifPresent(list::add);
            return list;
          });
      Arbitrary<RenditionReport> reports = Combinators.combine(uris(),
              Arbitraries.longs().between(0, 1_000_000).optional(0.9),
              Arbitraries.longs().between(0, 50))
          .as((u, msn, part) -> new RenditionReport(u, msn,
              msn.isPresent() && part % 3 != 0 ? Optional.of(part) : Optional.empty()));
      Arbitrary<Optional<Skip>> skips = Combinators.combine(
              Arbitraries.longs().between(0, 5000),
              Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1)
                  .ofMaxLength(8).list().ofMaxSize(3).optional(0.5))
          .as(Skip::new).optional(0.3);
      return Combinators.combine(perSegment, open, control, hints,
              reports.list().ofMaxSize(3), skips)
          .as((segmentParts, openSegment, c, h, r, skip) -> {
            MediaPlaylist.Builder b = p.toBuilder().partTarget(target).serverControl(c)
                .openSegment(openSegment.orElse(null)).skip(skip.orElse(null));
            List<MediaSegment> segments = new ArrayList<>();
            for (int i = 0; i < p.segments().size(); i++) {
              segments.add(p.segments().get(i).toBuilder().parts(segmentParts.get(i)).build());
            }
            b.segments(segments);
            h.forEach(b::addPreloadHint);
            r.forEach(b::addRenditionReport);
            if (skip.isPresent() && p.declaredVersion().filter(v -> v < 9).isPresent()) {
              b.version(9);
            }
            return b.build();
          });
    });
  }

  private static final class SegmentSpec {
    String uri;
    Duration duration;
    Optional<String> title;
    Optional<ByteRange> range;
    boolean discontinuity;
    Optional<OffsetDateTime> dateTime;
    boolean changeKey;
    Optional<SegmentKey> key;
    Optional<InitializationSection> newMap;
    Optional<Tiles> tiles;
  }

  private static Arbitrary<SegmentSpec> segmentSpecs() {
    Arbitrary<Optional<ByteRange>> ranges = Combinators.combine(
            Arbitraries.longs().between(1, 10_000_000),
            Arbitraries.longs().between(0, 10_000_000).optional())
        .as(ByteRange::new).optional(0.3);
    Arbitrary<Optional<String>> titles = Arbitraries.strings().all().ofMaxLength(10)
        .filter(s -> noControls(s) && !s.isEmpty())
        .filter(s -> s.equals(s.stripTrailing()))
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)))
        .optional(0.2);
    return Combinators.combine(objects(uris(), durations(), titles, ranges,
            Arbitraries.of(true, false), dateTimes().optional(0.2),
            Arbitraries.of(true, false), keys().optional(), maps().optional(0.1),
            tiles().optional(0.7)))
        .as(values -> {
          SegmentSpec s = new SegmentSpec();
          s.uri = (String) values.get(0);
          s.duration = (Duration) values.get(1);
          s.title = cast(values.get(2));
          s.range = cast(values.get(3));
          s.discontinuity = (Boolean) values.get(4);
          s.dateTime = cast(values.get(5));
          s.changeKey = (Boolean) values.get(6);
          s.key = cast(values.get(7));
          s.newMap = cast(values.get(8));
          s.tiles = cast(values.get(9));
          return s;
        });
  }

  static Arbitrary<Tiles> tiles() {
    return Combinators.combine(resolutions(), Arbitraries.integers().between(1, 20),
            Arbitraries.integers().between(1, 20), durations().filter(d -> !d.isZero()),
            Arbitraries.of(Map.<String, String>of(), Map.of("X-FUTURE", "\"yes\"")))
        .as((size, columns, rows, each, others) -> new Tiles(size, new Resolution(columns, rows),
            each, others));
  }

  /** Arbitraries of different types, for the list form of {@code Combinators.combine}. */
  private static List<Arbitrary<Object>> objects(Arbitrary<?>... arbitraries) {
    List<Arbitrary<Object>> list = new ArrayList<>();
    for (Arbitrary<?> a : arbitraries) {
      list.add(a.map(x -> (Object) x));
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  static Arbitrary<List<String>> codecs() {
    return Arbitraries.of("avc1.64001f", "avc1.42e01e", "mp4a.40.2", "hvc1.1.6.L93.B0", "ec-3")
        .list().uniqueElements().ofMaxSize(3);
  }

  static Arbitrary<Resolution> resolutions() {
    return Combinators.combine(Arbitraries.integers().between(1, 7680),
        Arbitraries.integers().between(1, 4320)).as(Resolution::new);
  }

  static Arbitrary<Rendition> renditions() {
    return Combinators.combine(objects(Arbitraries.of(RenditionType.class),
            Arbitraries.of("aac", "ec3", "subs", "cc", "cam"), quotable(), uris().optional(),
            Arbitraries.of("en", "es", "de", "pt-BR").optional(),
            Arbitraries.of("en", "fr").optional(), Arbitraries.of(true, false),
            Arbitraries.of(true, false), Arbitraries.of(true, false),
            Arbitraries.of("CC1", "CC2", "SERVICE3").optional(),
            Arbitraries.of("public.accessibility.describes-video").optional(),
            Arbitraries.of("2", "6").optional(),
            Arbitraries.of(Map.<String, String>of(), Map.of("STABLE-RENDITION-ID", "\"a1\""))))
        .as(v -> {
          RenditionType type = (RenditionType) v.get(0);
          Optional<String> uri = cast(v.get(3));
          Optional<String> instream = cast(v.get(9));
          if (type == RenditionType.CLOSED_CAPTIONS) {
            uri = Optional.empty();
            instream = Optional.of(instream.orElse("CC1"));
          }
          return new Rendition(type, (String) v.get(1), (String) v.get(2), uri, cast(v.get(4)),
              cast(v.get(5)), (Boolean) v.get(6), (Boolean) v.get(7), (Boolean) v.get(8),
              instream, cast(v.get(10)), cast(v.get(11)), cast(v.get(12)));
        });
  }

  /** A multivariant playlist whose variants only name groups that its renditions define. */
  static Arbitrary<MultivariantPlaylist> multivariantPlaylists() {
    return renditions().list().ofMaxSize(6).flatMap(renditions -> {
      Arbitrary<Variant> variants = Combinators.combine(objects(uris(),
              Arbitraries.longs().between(0, 50_000_000),
              Arbitraries.longs().between(0, 50_000_000).optional(), codecs(),
              resolutions().optional(),
              Arbitraries.bigDecimals().between(new BigDecimal("1"), new BigDecimal("240"))
                  .ofScale(3).optional(),
              Arbitraries.of("TYPE-0", "TYPE-1", "NONE").optional(),
              group(renditions, RenditionType.AUDIO), group(renditions, RenditionType.VIDEO),
              group(renditions, RenditionType.SUBTITLES),
              Arbitraries.oneOf(group(renditions, RenditionType.CLOSED_CAPTIONS),
                  Arbitraries.just(Optional.of("NONE"))),
              Arbitraries.of(Map.<String, String>of(), Map.of("VIDEO-RANGE", "SDR"),
                  Map.of("PATHWAY-ID", "\"cdn-a\"", "SCORE", "1.5"))))
          .as(v -> new Variant((String) v.get(0), (Long) v.get(1), cast(v.get(2)),
              cast(v.get(3)), cast(v.get(4)), cast(v.get(5)), cast(v.get(6)), cast(v.get(7)),
              cast(v.get(8)), cast(v.get(9)), cast(v.get(10)), cast(v.get(11))));
      Arbitrary<IFrameVariant> iFrames = Combinators.combine(uris(),
              Arbitraries.longs().between(0, 5_000_000), codecs(), resolutions(),
              group(renditions, RenditionType.VIDEO))
          .as((uri, bw, codecs, res, video) -> new IFrameVariant(uri, bw, Optional.empty(),
              codecs, Optional.of(res), Optional.empty(), video, Map.of()));
      Arbitrary<ImageVariant> images = Combinators.combine(uris(),
              Arbitraries.longs().between(0, 5_000_000), Arbitraries.of(List.of("jpeg"),
                  List.<String>of()), resolutions().optional(), group(renditions,
                  RenditionType.VIDEO))
          .as((uri, bw, codecs, res, video) -> new ImageVariant(uri, bw, Optional.empty(),
              codecs, res, video, Map.of()));
      Arbitrary<SessionData> data = Combinators.combine(
              Arbitraries.of("com.example.title", "com.example.lyrics"), quotable(),
              Arbitraries.of(true, false), Arbitraries.of("en", "es").optional())
          .as((id, text, inline, lang) -> inline
              ? new SessionData(id, Optional.of(text), Optional.empty(), lang)
              : new SessionData(id, Optional.empty(), Optional.of("data.json"), lang));
      return Combinators.combine(variants.list().ofMinSize(1).ofMaxSize(5),
              iFrames.list().ofMaxSize(2), images.list().ofMaxSize(2),
              data.list().ofMaxSize(2), Arbitraries.of(true, false),
              Arbitraries.integers().between(0, 2))
          .as((vs, ifs, ims, ds, independent, extraVersion) -> {
            MultivariantPlaylist.Builder b = MultivariantPlaylist.builder()
                .independentSegments(independent);
            renditions.forEach(b::addRendition);
            vs.forEach(b::addVariant);
            ifs.forEach(b::addIFrameVariant);
            ims.forEach(b::addImageVariant);
            ds.forEach(b::addSessionData);
            MultivariantPlaylist p = b.build();
            return extraVersion == 0 ? p : b.version(p.version() + extraVersion).build();
          });
    });
  }

  private static Arbitrary<Optional<String>> group(List<Rendition> renditions, RenditionType t) {
    List<Optional<String>> options = new ArrayList<>();
    options.add(Optional.empty());
    renditions.stream().filter(r -> r.type() == t).map(r -> Optional.of(r.groupId()))
        .forEach(options::add);
    return Arbitraries.of(options);
  }
}
