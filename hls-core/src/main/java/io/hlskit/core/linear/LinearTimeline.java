package io.hlskit.core.linear;

import io.hlskit.core.playlist.ByteRange;
import io.hlskit.core.playlist.InitializationSection;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.SegmentKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rendition of a linear channel laid out in time: the items' segments one after another from
 * the schedule's start, and the live media playlist of any instant, a pure function of the
 * schedule, the items' playlists and the instant (two servers asked in the same second answer
 * the same text). Built once per schedule and rendition, then asked as often as players reload;
 * immutable and thread-safe.
 *
 * <p>The playlist at an instant holds the segment on air and the ones before it, up to the
 * window; {@code EXT-X-MEDIA-SEQUENCE} counts the segments aired since the start and {@code
 * EXT-X-DISCONTINUITY-SEQUENCE} the item changes that left the window, so both only grow while
 * the schedule and its items stay the same. Each item starts with {@code EXT-X-DISCONTINUITY}
 * (except the very first) and {@code EXT-X-PROGRAM-DATE-TIME}; an item's own discontinuities
 * are kept. Segment URIs point to the items' own segments (nothing is copied); encrypted
 * segments get an explicit IV, since theirs came from their own playlist's sequence numbers, and
 * byte ranges an explicit offset, since the segment they followed may have left the window.
 *
 * <pre>{@code
 * LinearTimeline t = LinearTimeline.of(schedule, List.of(
 *     new LinearTimeline.Source(0, playlistOfA, "../../a/720p/"),
 *     new LinearTimeline.Source(1, playlistOfB, "../../b/720p/")));
 * Optional<MediaPlaylist> live = t.playlistAt(Instant.now(), 6);
 * }</pre>
 */
public final class LinearTimeline {
  /** The window when none is given: the last six segments. */
  public static final int DEFAULT_WINDOW = 6;

  /**
   * What plays for one item of the schedule.
   *
   * @param item the item's index in the schedule
   * @param playlist the item's media playlist for this rendition
   * @param uriPrefix put before each relative URI of the playlist (segments, keys, maps) so that
   *     it resolves from where the linear playlist is served; may be empty
   */
  public record Source(int item, MediaPlaylist playlist, String uriPrefix) {
    public Source {
      Objects.requireNonNull(playlist, "playlist");
      Objects.requireNonNull(uriPrefix, "uriPrefix");
    }
  }

  /**
   * An item on air, or next.
   *
   * @param item its index in the schedule
   * @param channel its channel id
   * @param start when it starts (or started)
   * @param end when it ends
   */
  public record Airing(int item, String channel, Instant start, Instant end) {}

  private final Schedule schedule;
  /** The segments of one pass of the schedule, URIs rewritten, without discontinuity or date. */
  private final MediaSegment[] segments;
  /** Where each segment starts within a pass, in nanoseconds; one more: the pass's length. */
  private final long[] startNanos;
  /** The index of each played item's first segment; one more: the number of segments. */
  private final int[] firstSegment;
  /**
   * How many segments of a pass before each index carry {@code EXT-X-DISCONTINUITY} (an item's
   * start, the first included, or one of its own); one more: the pass's count.
   */
  private final int[] changesBefore;
  /** The schedule index of each played item. */
  private final int[] itemIndex;
  private final long passNanos;
  private final int targetDuration;
  private final boolean independentSegments;

  private LinearTimeline(Schedule schedule, List<Source> sources) {
    this.schedule = schedule;
    List<MediaSegment> all = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Integer> firsts = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    List<Boolean> changes = new ArrayList<>();
    long at = 0;
    int target = 1;
    boolean independent = true;
    int previous = -1;
    for (Source s : sources) {
      if (s.item() <= previous || s.item() >= schedule.items().size()) {
        throw new IllegalArgumentException("source for item " + s.item() + ": items must be"
            + " given once each, in schedule order, below " + schedule.items().size());
      }
      previous = s.item();
      MediaPlaylist p = s.playlist();
      if (p.segments().isEmpty() || p.totalDuration().isZero()) {
        continue; // nothing to air: the schedule goes on with the next item
      }
      firsts.add(all.size());
      items.add(s.item());
      target = Math.max(target, p.targetDuration());
      independent &= p.independentSegments();
      long sequence = p.mediaSequence();
      String previousUri = null;
      long previousEnd = 0;
      for (MediaSegment segment : p.segments()) {
        changes.add(all.size() == firsts.get(firsts.size() - 1) || segment.discontinuity());
        MediaSegment moved = rewrite(segment, s.uriPrefix(), sequence++);
        if (segment.byteRange().isPresent()) {
          // a range without offset follows the segment before it, which may leave the window
          ByteRange r = segment.byteRange().get();
          long offset = r.offset().orElse(segment.uri().equals(previousUri) ? previousEnd : 0);
          moved = moved.toBuilder().byteRange(ByteRange.of(r.length(), offset)).build();
          previousEnd = offset + r.length();
        }
        previousUri = segment.uri();
        all.add(moved);
        starts.add(at);
        at = Math.addExact(at, segment.duration().toNanos());
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("none of the schedule's items has anything to play;"
          + " give the playlists of stored channels with segments");
    }
    starts.add(at);
    firsts.add(all.size());
    this.segments = all.toArray(MediaSegment[]::new);
    this.startNanos = starts.stream().mapToLong(Long::longValue).toArray();
    this.firstSegment = firsts.stream().mapToInt(Integer::intValue).toArray();
    this.itemIndex = items.stream().mapToInt(Integer::intValue).toArray();
    this.changesBefore = new int[all.size() + 1];
    for (int i = 0; i < all.size(); i++) {
      changesBefore[i + 1] = changesBefore[i] + (changes.get(i) ? 1 : 0);
    }
    this.passNanos = at;
    this.targetDuration = target;
    this.independentSegments = independent;
  }

  /**
   * Lays out {@code schedule} with the playlists of its items for one rendition. Items without a
   * source (deleted since the schedule was made) or with nothing to play are skipped.
   *
   * @throws IllegalArgumentException when sources are out of order or none has a segment
   */
  public static LinearTimeline of(Schedule schedule, List<Source> sources) {
    return new LinearTimeline(Objects.requireNonNull(schedule, "schedule"), List.copyOf(sources));
  }

  /** The schedule laid out. */
  public Schedule schedule() {
    return schedule;
  }

  /** How long one pass of the items played lasts. */
  public Duration passDuration() {
    return Duration.ofNanos(passNanos);
  }

  /**
   * The live media playlist at {@code now}, with up to {@code window} segments: empty before the
   * schedule's start. A schedule without loop ends: after its last item the playlist holds the
   * last segments and {@code EXT-X-ENDLIST}.
   */
  public Optional<MediaPlaylist> playlistAt(Instant now, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least one segment: " + window);
    }
    long elapsed = elapsedNanos(now);
    if (elapsed < 0) {
      return Optional.empty();
    }
    int n = segments.length;
    boolean ended = !schedule.loop() && elapsed >= passNanos;
    long last; // global index of the newest segment listed
    if (ended) {
      last = n - 1;
    } else {
      long pass = elapsed / passNanos;
      last = pass * n + segmentAt(elapsed % passNanos);
    }
    long first = Math.max(0, last - window + 1);
    MediaPlaylist.Builder b = MediaPlaylist.builder().targetDuration(targetDuration)
        .mediaSequence(first).discontinuitySequence(discontinuitiesBefore(first))
        .independentSegments(independentSegments).endList(ended);
    for (long g = first; g <= last; g++) {
      int i = (int) (g % n);
      boolean change = changesBefore[i + 1] > changesBefore[i]; // item starts are changes
      MediaSegment s = segments[i];
      if (change || g == first) {
        long startsAt = Math.addExact(Math.multiplyExact(g / n, passNanos), startNanos[i]);
        s = s.toBuilder()
            .programDateTime(OffsetDateTime.ofInstant(plus(startsAt), ZoneOffset.UTC))
            .discontinuity(change && g > 0) // the very first segment follows nothing
            .build();
      }
      b.addSegment(s);
    }
    return Optional.of(b.build());
  }

  /** The item on air at {@code now}: empty before the start and after the end without loop. */
  public Optional<Airing> onAir(Instant now) {
    long elapsed = elapsedNanos(now);
    if (elapsed < 0 || !schedule.loop() && elapsed >= passNanos) {
      return Optional.empty();
    }
    long pass = elapsed / passNanos;
    return Optional.of(airing(pass, itemOf(segmentAt(elapsed % passNanos))));
  }

  /**
   * The item after the one on air at {@code now} (the first, before the start): empty after the
   * last item of a schedule without loop.
   */
  public Optional<Airing> next(Instant now) {
    long elapsed = elapsedNanos(now);
    if (elapsed < 0) {
      return Optional.of(airing(0, 0));
    }
    if (!schedule.loop() && elapsed >= passNanos) {
      return Optional.empty();
    }
    long pass = elapsed / passNanos;
    int played = itemOf(segmentAt(elapsed % passNanos)) + 1;
    if (played == itemIndex.length) {
      return schedule.loop() ? Optional.of(airing(pass + 1, 0)) : Optional.empty();
    }
    return Optional.of(airing(pass, played));
  }

  private Airing airing(long pass, int played) {
    long base = Math.multiplyExact(pass, passNanos);
    return new Airing(itemIndex[played], schedule.items().get(itemIndex[played]).channel(),
        plus(base + startNanos[firstSegment[played]]),
        plus(base + startNanos[firstSegment[played + 1]]));
  }

  private long elapsedNanos(Instant now) {
    Duration d = Duration.between(schedule.start(), Objects.requireNonNull(now, "now"));
    // up to 2100 from 1970 fits in a long of nanoseconds (about 4.1e18 of 9.2e18)
    return d.toNanos();
  }

  private Instant plus(long nanos) {
    return schedule.start().plusNanos(nanos);
  }

  /** The segment of a pass airing at {@code offset} nanoseconds into it. */
  private int segmentAt(long offset) {
    int i = Arrays.binarySearch(startNanos, 0, segments.length, offset);
    // a zero-length segment shares its start with the next: the last of equal starts airs
    if (i >= 0) {
      while (i + 1 < segments.length && startNanos[i + 1] == offset) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  /** The played item a segment of a pass belongs to. */
  private int itemOf(int segment) {
    int i = Arrays.binarySearch(firstSegment, segment);
    return i >= 0 ? i : -i - 2;
  }

  /** How many discontinuities come before global segment {@code g}. */
  private long discontinuitiesBefore(long g) {
    if (g == 0) {
      return 0;
    }
    int n = segments.length;
    // every pass holds the same; the very first segment of all carries none
    return g / n * changesBefore[n] + changesBefore[(int) (g % n)] - 1;
  }

  private static MediaSegment rewrite(MediaSegment s, String prefix, long sequence) {
    MediaSegment.Builder b = s.toBuilder().uri(resolve(prefix, s.uri()))
        .discontinuity(false).programDateTime(null); // set per window, from the schedule
    s.map().ifPresent(m -> b.map(new InitializationSection(resolve(prefix, m.uri()),
        m.byteRange())));
    s.key().ifPresent(k -> {
      SegmentKey moved = new SegmentKey(k.method(), resolve(prefix, k.uri()), k.iv(),
          k.keyFormat(), k.keyFormatVersions());
      if (moved.iv().isEmpty()) {
        // the IV was the segment's sequence number in its own playlist: keep it so
        moved = moved.withIv(String.format("0x%032x", sequence));
      }
      b.key(moved);
    });
    return b.build();
  }

  /** {@code uri} seen from the linear playlist: relative ones get the prefix. */
  static String resolve(String prefix, String uri) {
    if (prefix.isEmpty() || uri.startsWith("/") || hasScheme(uri)) {
      return uri;
    }
    return prefix + uri;
  }

  private static boolean hasScheme(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == ':') {
        return i > 0;
      }
      boolean schemeChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
          || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
      if (!schemeChar) {
        return false;
      }
    }
    return false;
  }
}
