package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One media segment of a {@link MediaPlaylist}, with every tag that applies to it.
 *
 * <p>{@code key} and {@code map} are the key and initialization section <em>in effect</em> for this
 * segment, whether or not the tag was repeated before it in the text: the parser carries them
 * forward and the writer emits the tag only where it changes.
 *
 * @param uri the segment's URI, relative to the playlist or absolute
 * @param duration the {@code EXTINF} duration, not negative
 * @param title the {@code EXTINF} title, when there is one
 * @param byteRange {@code EXT-X-BYTERANGE}, when the segment is a sub-range of its resource
 * @param discontinuity whether {@code EXT-X-DISCONTINUITY} precedes it
 * @param programDateTime {@code EXT-X-PROGRAM-DATE-TIME} of its first sample
 * @param key the encryption in effect; absent when not encrypted
 * @param map the initialization section in effect
 * @param tiles {@code EXT-X-TILES}: for an image segment, how it is cut into thumbnails
 * @param parts its partial segments ({@code EXT-X-PART}), in a low-latency playlist; written
 *     before its {@code EXTINF}
 * @param unknownTags tags hlskit does not model, kept by the lenient parser, written before the
 *     {@code EXTINF} line
 */
public record MediaSegment(
    String uri,
    Duration duration,
    Optional<String> title,
    Optional<ByteRange> byteRange,
    boolean discontinuity,
    Optional<OffsetDateTime> programDateTime,
    Optional<SegmentKey> key,
    Optional<InitializationSection> map,
    Optional<Tiles> tiles,
    List<PartialSegment> parts,
    List<String> unknownTags) {

  public MediaSegment {
    Checks.uri(uri, "segment URI");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("segment duration must not be negative: " + duration);
    }
    if (duration.compareTo(MAX_DURATION) > 0) {
      // a target duration is an int of seconds, and sums of durations must not overflow
      throw new IllegalArgumentException("segment duration must be at most " + MAX_DURATION
          + ": " + duration);
    }
    Objects.requireNonNull(title, "title").ifPresent(t -> {
      if (t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0 || !t.equals(t.stripTrailing())) {
        throw new IllegalArgumentException(
            "segment title must not contain a line break or end with white space: '" + t + "'");
      }
    });
    Objects.requireNonNull(byteRange, "byteRange");
    Objects.requireNonNull(programDateTime, "programDateTime");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(tiles, "tiles");
    parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    unknownTags = UnknownTags.check(unknownTags);
  }

  /** The longest a segment may last: {@code Integer.MAX_VALUE} seconds, some 68 years. */
  public static final Duration MAX_DURATION = Duration.ofSeconds(Integer.MAX_VALUE);

  /** A plain segment: a URI and its duration. */
  public static MediaSegment of(String uri, Duration duration) {
    return builder(uri, duration).build();
  }

  /** A builder for a segment at {@code uri} lasting {@code duration}. */
  public static Builder builder(String uri, Duration duration) {
    return new Builder(uri, duration);
  }

  /** A builder holding this segment's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(uri, duration);
    b.title = title;
    b.byteRange = byteRange;
    b.discontinuity = discontinuity;
    b.programDateTime = programDateTime;
    b.key = key;
    b.map = map;
    b.tiles = tiles;
    b.parts.addAll(parts);
    b.unknownTags.addAll(unknownTags);
    return b;
  }

  /** Builds a {@link MediaSegment}; not thread-safe. */
  public static final class Builder {
    private String uri;
    private Duration duration;
    private Optional<String> title = Optional.empty();
    private Optional<ByteRange> byteRange = Optional.empty();
    private boolean discontinuity;
    private Optional<OffsetDateTime> programDateTime = Optional.empty();
    private Optional<SegmentKey> key = Optional.empty();
    private Optional<InitializationSection> map = Optional.empty();
    private Optional<Tiles> tiles = Optional.empty();
    private final List<PartialSegment> parts = new ArrayList<>();
    private final List<String> unknownTags = new ArrayList<>();

    private Builder(String uri, Duration duration) {
      this.uri = uri;
      this.duration = duration;
    }

    public Builder uri(String uri) {
      this.uri = uri;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder title(String title) {
      this.title = Optional.ofNullable(title);
      return this;
    }

    public Builder byteRange(ByteRange byteRange) {
      this.byteRange = Optional.ofNullable(byteRange);
      return this;
    }

    public Builder discontinuity(boolean discontinuity) {
      this.discontinuity = discontinuity;
      return this;
    }

    public Builder programDateTime(OffsetDateTime programDateTime) {
      this.programDateTime = Optional.ofNullable(programDateTime);
      return this;
    }

    public Builder key(SegmentKey key) {
      this.key = Optional.ofNullable(key);
      return this;
    }

    public Builder map(InitializationSection map) {
      this.map = Optional.ofNullable(map);
      return this;
    }

    /** How this image segment is cut into thumbnails. */
    public Builder tiles(Tiles tiles) {
      this.tiles = Optional.ofNullable(tiles);
      return this;
    }

    /** Adds a partial segment of this segment (low-latency playlists). */
    public Builder addPart(PartialSegment part) {
      parts.add(Objects.requireNonNull(part, "part"));
      return this;
    }

    /** Its partial segments, replacing those given before. */
    public Builder parts(List<PartialSegment> parts) {
      this.parts.clear();
      parts.forEach(this::addPart);
      return this;
    }

    public Builder addUnknownTag(String tagLine) {
      unknownTags.add(tagLine);
      return this;
    }

    public MediaSegment build() {
      return new MediaSegment(
          uri, duration, title, byteRange, discontinuity, programDateTime, key, map, tiles,
          parts, unknownTags);
    }
  }
}
