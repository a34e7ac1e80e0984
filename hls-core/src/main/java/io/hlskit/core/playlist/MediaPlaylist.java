package io.hlskit.core.playlist;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 8216 media playlist: the list of segments of one rendition.
 *
 * <p>Target duration and version are derived from the segments unless given explicitly: the
 * default target duration is the ceiling of the longest segment (at least 1 s) and the default
 * version is the lowest that the features in use need, but at least 3. An explicit value is kept
 * only where it differs from that default, so that two playlists that write the same text are
 * equal; it must still be valid (a target duration no shorter than any rounded segment, a version
 * no lower than the features need).
 *
 * @param segments the segments, in order
 * @param declaredTargetDuration an explicit {@code EXT-X-TARGETDURATION}, see {@link
 *     #targetDuration()}
 * @param mediaSequence {@code EXT-X-MEDIA-SEQUENCE}, the sequence number of the first segment
 * @param discontinuitySequence {@code EXT-X-DISCONTINUITY-SEQUENCE}
 * @param playlistType {@code EXT-X-PLAYLIST-TYPE}
 * @param endList whether {@code EXT-X-ENDLIST} closes the playlist
 * @param iFramesOnly {@code EXT-X-I-FRAMES-ONLY}
 * @param imagesOnly {@code EXT-X-IMAGES-ONLY}: each segment is a picture (with {@link
 *     MediaSegment#tiles}, a grid of thumbnails), as Apple's and Roku's image media playlists
 * @param independentSegments {@code EXT-X-INDEPENDENT-SEGMENTS}
 * @param start {@code EXT-X-START}
 * @param serverControl {@code EXT-X-SERVER-CONTROL}: blocking reloads, hold-backs, delta updates
 * @param partTarget {@code EXT-X-PART-INF:PART-TARGET}: the longest a partial segment lasts;
 *     present in every playlist with partial segments
 * @param skip {@code EXT-X-SKIP}: in a delta update, the segments left out before {@code
 *     segments}
 * @param openSegment the parts of the segment still being written, after the last segment
 * @param preloadHints {@code EXT-X-PRELOAD-HINT}: at most one of each type
 * @param renditionReports {@code EXT-X-RENDITION-REPORT}: where the other renditions end
 * @param declaredVersion an explicit {@code EXT-X-VERSION}, see {@link #version()}
 * @param unknownTags playlist-level tags hlskit does not model, kept by the lenient parser
 */
public record MediaPlaylist(
    List<MediaSegment> segments,
    Optional<Integer> declaredTargetDuration,
    long mediaSequence,
    long discontinuitySequence,
    Optional<PlaylistType> playlistType,
    boolean endList,
    boolean iFramesOnly,
    boolean imagesOnly,
    boolean independentSegments,
    Optional<StartPoint> start,
    Optional<ServerControl> serverControl,
    Optional<Duration> partTarget,
    Optional<Skip> skip,
    Optional<OpenSegment> openSegment,
    List<PreloadHint> preloadHints,
    List<RenditionReport> renditionReports,
    Optional<Integer> declaredVersion,
    List<String> unknownTags)
    implements Playlist {

  public MediaPlaylist {
    segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
    Objects.requireNonNull(declaredTargetDuration, "declaredTargetDuration");
    if (mediaSequence < 0 || discontinuitySequence < 0) {
      throw new IllegalArgumentException("sequence numbers must not be negative");
    }
    Objects.requireNonNull(playlistType, "playlistType");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(declaredVersion, "declaredVersion");
    Objects.requireNonNull(serverControl, "serverControl");
    Objects.requireNonNull(partTarget, "partTarget");
    Objects.requireNonNull(skip, "skip");
    Objects.requireNonNull(openSegment, "openSegment");
    preloadHints = List.copyOf(Objects.requireNonNull(preloadHints, "preloadHints"));
    renditionReports = List.copyOf(Objects.requireNonNull(renditionReports, "renditionReports"));
    unknownTags = UnknownTags.check(unknownTags);
    checkSegmentSequence(segments);
    if (iFramesOnly && imagesOnly) {
      throw new IllegalArgumentException(
          "a playlist is EXT-X-I-FRAMES-ONLY or EXT-X-IMAGES-ONLY, not both");
    }
    if (!imagesOnly) {
      for (MediaSegment s : segments) {
        if (s.tiles().isPresent()) {
          throw new IllegalArgumentException("segment " + s.uri() + " has EXT-X-TILES, which"
              + " only an EXT-X-IMAGES-ONLY playlist may have");
        }
      }
    }

    int defaultTarget = defaultTargetDuration(segments);
    LowLatencyRules.check(segments, declaredTargetDuration.orElse(defaultTarget), serverControl,
        partTarget, openSegment, preloadHints);
    if (declaredTargetDuration.isPresent()) {
      int declared = declaredTargetDuration.get();
      int needed = longestRounded(segments);
      if (declared < needed) {
        throw new IllegalArgumentException("target duration " + declared
            + " s is shorter than the longest segment, which rounds to " + needed + " s");
      }
      if (declared == defaultTarget) {
        declaredTargetDuration = Optional.empty();
      }
    }
    int features = Versions.media(segments, iFramesOnly, skip.isPresent());
    if (declaredVersion.isPresent()) {
      int declared = declaredVersion.get();
      if (declared < features) {
        throw new IllegalArgumentException("version " + declared
            + " is too low for the features used, which need version " + features);
      }
      if (declared == Math.max(Versions.MINIMUM_WRITTEN, features)) {
        declaredVersion = Optional.empty();
      }
    }
  }

  /** A builder for a media playlist, empty until segments are added. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this playlist's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.segments.addAll(segments);
    b.targetDuration = declaredTargetDuration;
    b.mediaSequence = mediaSequence;
    b.discontinuitySequence = discontinuitySequence;
    b.playlistType = playlistType;
    b.endList = endList;
    b.iFramesOnly = iFramesOnly;
    b.imagesOnly = imagesOnly;
    b.independentSegments = independentSegments;
    b.start = start;
    b.serverControl = serverControl;
    b.partTarget = partTarget;
    b.skip = skip;
    b.openSegment = openSegment;
    b.preloadHints.addAll(preloadHints);
    b.renditionReports.addAll(renditionReports);
    b.version = declaredVersion;
    b.unknownTags.addAll(unknownTags);
    return b;
  }

  /**
   * {@code EXT-X-TARGETDURATION} in seconds: the explicit value when there is one, otherwise the
   * ceiling of the longest segment (at least 1).
   */
  public int targetDuration() {
    return declaredTargetDuration.orElseGet(() -> defaultTargetDuration(segments));
  }

  @Override
  public int version() {
    return declaredVersion.orElseGet(
        () -> Math.max(Versions.MINIMUM_WRITTEN,
            Versions.media(segments, iFramesOnly, skip.isPresent())));
  }

  /** The sum of the segment durations. */
  public Duration totalDuration() {
    Duration total = Duration.ZERO;
    for (MediaSegment s : segments) {
      total = total.plus(s.duration());
    }
    return total;
  }

  static int defaultTargetDuration(List<MediaSegment> segments) {
    long longest = 1;
    for (MediaSegment s : segments) {
      Duration d = s.duration();
      longest = Math.max(longest, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
    }
    return Math.toIntExact(longest);
  }

  static int longestRounded(List<MediaSegment> segments) {
    long longest = 0;
    for (MediaSegment s : segments) {
      Duration d = s.duration();
      longest = Math.max(longest, d.getSeconds() + (d.getNano() >= 500_000_000 ? 1 : 0));
    }
    return Math.toIntExact(longest);
  }

  private static void checkSegmentSequence(List<MediaSegment> segments) {
    MediaSegment previous = null;
    for (int i = 0; i < segments.size(); i++) {
      MediaSegment s = segments.get(i);
      if (s.byteRange().isPresent() && s.byteRange().get().offset().isEmpty()
          && (previous == null || previous.byteRange().isEmpty()
              || !previous.uri().equals(s.uri()))) {
        throw new IllegalArgumentException("segment " + i + " (" + s.uri()
            + ") has a byte range without offset, which needs the previous segment to be a"
            + " byte range of the same resource; give the offset");
      }
      if (previous != null && previous.map().isPresent() && s.map().isEmpty()) {
        throw new IllegalArgumentException("segment " + i + " (" + s.uri()
            + ") has no EXT-X-MAP after segments that had one; HLS cannot express that");
      }
      previous = s;
    }
  }

  /** Builds a {@link MediaPlaylist}; not thread-safe. */
  public static final class Builder {
    private final List<MediaSegment> segments = new ArrayList<>();
    private Optional<Integer> targetDuration = Optional.empty();
    private long mediaSequence;
    private long discontinuitySequence;
    private Optional<PlaylistType> playlistType = Optional.empty();
    private boolean endList;
    private boolean iFramesOnly;
    private boolean imagesOnly;
    private boolean independentSegments;
    private Optional<StartPoint> start = Optional.empty();
    private Optional<ServerControl> serverControl = Optional.empty();
    private Optional<Duration> partTarget = Optional.empty();
    private Optional<Skip> skip = Optional.empty();
    private Optional<OpenSegment> openSegment = Optional.empty();
    private final List<PreloadHint> preloadHints = new ArrayList<>();
    private final List<RenditionReport> renditionReports = new ArrayList<>();
    private Optional<Integer> version = Optional.empty();
    private final List<String> unknownTags = new ArrayList<>();

    private Builder() {}

    public Builder addSegment(MediaSegment segment) {
      segments.add(Objects.requireNonNull(segment, "segment"));
      return this;
    }

    public Builder addSegment(String uri, Duration duration) {
      return addSegment(MediaSegment.of(uri, duration));
    }

    public Builder segments(List<MediaSegment> segments) {
      this.segments.clear();
      segments.forEach(this::addSegment);
      return this;
    }

    /** An explicit target duration; leave it unset to derive it from the segments. */
    public Builder targetDuration(int seconds) {
      this.targetDuration = Optional.of(seconds);
      return this;
    }

    public Builder mediaSequence(long mediaSequence) {
      this.mediaSequence = mediaSequence;
      return this;
    }

    public Builder discontinuitySequence(long discontinuitySequence) {
      this.discontinuitySequence = discontinuitySequence;
      return this;
    }

    public Builder playlistType(PlaylistType playlistType) {
      this.playlistType = Optional.ofNullable(playlistType);
      return this;
    }

    public Builder endList(boolean endList) {
      this.endList = endList;
      return this;
    }

    public Builder iFramesOnly(boolean iFramesOnly) {
      this.iFramesOnly = iFramesOnly;
      return this;
    }

    /** An image media playlist: each segment a picture or a grid of thumbnails. */
    public Builder imagesOnly(boolean imagesOnly) {
      this.imagesOnly = imagesOnly;
      return this;
    }

    public Builder independentSegments(boolean independentSegments) {
      this.independentSegments = independentSegments;
      return this;
    }

    public Builder start(StartPoint start) {
      this.start = Optional.ofNullable(start);
      return this;
    }

    public Builder serverControl(ServerControl serverControl) {
      this.serverControl = Optional.ofNullable(serverControl);
      return this;
    }

    /** {@code EXT-X-PART-INF:PART-TARGET}, which every playlist with partial segments has. */
    public Builder partTarget(Duration partTarget) {
      this.partTarget = Optional.ofNullable(partTarget);
      return this;
    }

    /** A delta update: {@code skip.skippedSegments()} segments left out before the first one. */
    public Builder skip(Skip skip) {
      this.skip = Optional.ofNullable(skip);
      return this;
    }

    /** The parts of the segment still being written; null for none. */
    public Builder openSegment(OpenSegment openSegment) {
      this.openSegment = Optional.ofNullable(openSegment);
      return this;
    }

    public Builder addPreloadHint(PreloadHint hint) {
      preloadHints.add(Objects.requireNonNull(hint, "hint"));
      return this;
    }

    public Builder clearPreloadHints() {
      preloadHints.clear();
      return this;
    }

    public Builder addRenditionReport(RenditionReport report) {
      renditionReports.add(Objects.requireNonNull(report, "report"));
      return this;
    }

    public Builder clearRenditionReports() {
      renditionReports.clear();
      return this;
    }

    /** An explicit version; leave it unset to write the lowest the features need (at least 3). */
    public Builder version(int version) {
      this.version = Optional.of(version);
      return this;
    }

    public Builder addUnknownTag(String tagLine) {
      unknownTags.add(tagLine);
      return this;
    }

    public MediaPlaylist build() {
      return new MediaPlaylist(segments, targetDuration, mediaSequence, discontinuitySequence,
          playlistType, endList, iFramesOnly, imagesOnly, independentSegments, start,
          serverControl, partTarget, skip, openSegment, preloadHints, renditionReports, version,
          unknownTags);
    }
  }
}
