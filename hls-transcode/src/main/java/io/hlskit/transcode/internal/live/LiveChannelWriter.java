package io.hlskit.transcode.internal.live;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.playlist.InitializationSection;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.OpenSegment;
import io.hlskit.core.playlist.PartialSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.PreloadHint;
import io.hlskit.core.playlist.RenditionReport;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.playlist.ServerControl;
import io.hlskit.core.playlist.Variant;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.transcode.internal.LiveSegments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live channel's playlists and segments in the store, across every publisher session of one
 * broadcast: each segment is written as it completes, then its rendition's live playlist (a
 * window of the DVR's length, written by hls-core's writer from the segments known here, never
 * read back from a muxer), the multivariant playlist once the renditions are known, and {@code
 * channel.json} when the state changes. Segment numbers and the media sequence only grow; a
 * session after the first starts with {@code EXT-X-DISCONTINUITY}, and the discontinuity
 * sequence grows as those leave the window. Segments that leave the window are deleted unless
 * the broadcast is recorded.
 *
 * <p>With {@linkplain LiveSettings#lowLatency() Low-Latency HLS} each part is written as it
 * completes ({@code seg_<n>.<part>.ts}), then the playlist with its parts, the next part's
 * preload hint and the other renditions' reports, and its new edge is announced on the {@link
 * LiveEdge}; parts leave the playlist (and the store, a segment later) three target durations
 * from its end.
 *
 * <p>A writer made for a channel that the store says is live already (a publisher reconnecting
 * to another instance, or to this one after a restart) continues its stored playlists.
 *
 * <p>Thread-safe: sessions follow one another, and state changes may come from another thread.
 */
public final class LiveChannelWriter implements LiveSegments {
  private static final Logger LOG = LoggerFactory.getLogger(LiveChannelWriter.class);
  /** Where a broadcast's timeline starts: far enough from 0 that no timestamp goes negative. */
  public static final long TIMELINE_START = 10 * 90_000L;
  private static final java.util.regex.Pattern SEGMENT_NUMBER =
      java.util.regex.Pattern.compile("^seg_(\\d+)");

  private final MediaStore store;
  private final LiveEdge edge;
  private final String id;
  private ChannelMetadata channel;
  private final Map<String, Window> windows = new LinkedHashMap<>();
  private List<LiveSegments.Rendition> current = List.of();
  private Window[] windowOf = new Window[0];
  private boolean[] started = new boolean[0];
  /** For each rendition shed this session, the one whose segments its playlist carries; -1. */
  private int[] carriedBy = new int[0];
  /** Where each rendition's last segment of this session ends (90 kHz). */
  private long[] endOf = new long[0];
  /**
   * For each shed rendition, whether the segment its carrier is writing now is carried in its
   * playlist part by part (Low-Latency HLS): a player at the edge goes on with parts, never
   * waits for whole segments.
   */
  private boolean[] carryingParts = new boolean[0];
  private long timelineEnd = TIMELINE_START;
  private long sessionStart;
  private Instant sessionWall = Instant.EPOCH;
  private int sessions;
  private boolean multivariantWritten;
  private boolean closed;

  /** One rendition's playlist: the window of segments, and with a recording all of them. */
  private static final class Window {
    final String name;
    final ArrayDeque<MediaSegment> segments = new ArrayDeque<>();
    final List<MediaSegment> all = new ArrayList<>();
    long mediaSequence;
    long discontinuitySequence;
    long nextNumber;
    int targetDuration;
    boolean discontinuityNext;
    /** The parts of the segment being written (Low-Latency HLS). */
    final List<PartialSegment> openParts = new ArrayList<>();
    Instant openAt;
    /** Part files of segments whose parts left the playlist, deleted a segment later. */
    final List<String> partsToDelete = new ArrayList<>();
    /** The ETag of the playlist as this writer last wrote it; null before. */
    String writtenEtag;
    /** The extension of this session's segments and parts: {@code ts}, or {@code m4s}. */
    String extension = "ts";
    /** This session's initialization section, in fragmented MP4. */
    Optional<InitializationSection> map = Optional.empty();

    Window(String name) {
      this.name = name;
    }
  }

  /** A writer of live channel {@code channel}'s broadcasts into {@code store}. */
  public LiveChannelWriter(MediaStore store, ChannelMetadata channel) {
    this(store, channel, LiveEdge.inProcess());
  }

  /**
   * A writer of live channel {@code channel}'s broadcasts into {@code store}, announcing each
   * new edge of its playlists on {@code edge}.
   */
  public LiveChannelWriter(MediaStore store, ChannelMetadata channel, LiveEdge edge) {
    this.store = store;
    this.edge = edge;
    this.id = channel.id();
    this.channel = channel;
    resume();
  }

  private LiveSettings settings() {
    return channel.live().orElseThrow();
  }

  /** Reads the stored playlists of a broadcast that is live already. */
  private void resume() {
    if (settings().state() != LiveSettings.State.LIVE) {
      return; // a new broadcast: its windows start afresh (see window)
    }
    for (RenditionInfo r : channel.renditions()) {
      read(r).ifPresent(p -> {
        Window w = window(r.name());
        w.segments.clear();
        w.segments.addAll(p.segments());
        w.mediaSequence = p.mediaSequence();
        w.discontinuitySequence = p.discontinuitySequence();
        w.nextNumber = nextNumber(p);
        w.targetDuration = p.targetDuration();
        w.discontinuityNext = true;
      });
    }
    sessions = windows.isEmpty() ? 0 : 1;
    multivariantWritten = !windows.isEmpty();
  }

  private Optional<MediaPlaylist> read(RenditionInfo r) {
    try {
      Optional<ObjectStream> o = store.read(id + "/" + r.playlist());
      if (o.isEmpty()) {
        return Optional.empty();
      }
      try (ObjectStream s = o.get(); InputStream in = s.content()) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return Optional.of(PlaylistParser.lenient().parseMedia(text));
      }
    } catch (IOException | HlsException e) {
      LOG.warn("live channel {}: the playlist {} could not be read ({}); it starts again", id,
          r.playlist(), e.getMessage());
      return Optional.empty();
    }
  }

  private static long nextNumber(MediaPlaylist p) {
    if (p.segments().isEmpty()) {
      return p.mediaSequence();
    }
    String uri = p.segments().get(p.segments().size() - 1).uri();
    // the file's own number: a shed rendition's last entry may be ../360p/seg_...
    java.util.regex.Matcher m = SEGMENT_NUMBER.matcher(uri.substring(uri.lastIndexOf('/') + 1));
    try {
      return m.find() ? Long.parseLong(m.group(1)) + 1 : p.mediaSequence() + p.segments().size();
    } catch (NumberFormatException e) {
      return p.mediaSequence() + p.segments().size();
    }
  }

  /**
   * The window of rendition {@code name}, made when new. A new broadcast numbers its segments
   * from the segments of its length since 1970: numbers only grow from one broadcast to the
   * next, so a segment name cached as immutable (a browser, a CDN) never comes back with other
   * pictures in it, whatever the store forgot in between.
   */
  private Window window(String name) {
    return windows.computeIfAbsent(name, n -> {
      Window w = new Window(n);
      long segment = Math.max(1, settings().segmentDuration().toSeconds());
      w.nextNumber = Instant.now().getEpochSecond() / segment;
      w.mediaSequence = w.nextNumber;
      return w;
    });
  }



  /**
   * A publisher session begins: its segments are timed from the returned point of the
   * channel's timeline (90 kHz), and stamped with dates from {@code wallClock} on.
   */
  public synchronized long startSession(Instant wallClock) {
    sessionStart = timelineEnd + 90_000; // a second of room: times only grow
    sessionWall = wallClock;
    if (sessions > 0) {
      for (Window w : windows.values()) {
        w.discontinuityNext = true;
      }
    }
    sessions++;
    current = List.of();
    return sessionStart;
  }

  @Override
  public synchronized void renditions(List<LiveSegments.Rendition> renditions) {
    if (closed) {
      return;
    }
    current = List.copyOf(renditions);
    windowOf = new Window[renditions.size()];
    started = new boolean[renditions.size()];
    carriedBy = new int[renditions.size()];
    endOf = new long[renditions.size()];
    carryingParts = new boolean[renditions.size()];
    Arrays.fill(carriedBy, -1);
    for (int i = 0; i < renditions.size(); i++) {
      LiveSegments.Rendition r = renditions.get(i);
      Window w = window(r.name());
      windowOf[i] = w;
      w.extension = r.fmp4() ? "m4s" : "ts";
      w.map = Optional.empty();
      if (r.fmp4()) {
        // named after the session's first segment: a new session's never replaces an old one
        // that segments still in the window (and caches) point to
        String init = String.format("init_%09d.mp4", w.nextNumber);
        store.write(id + "/" + w.name + "/" + init, r.init());
        w.map = Optional.of(InitializationSection.of(init));
      }
    }
    multivariantWritten = false;
  }

  @Override
  public synchronized void shed(int index, int into) {
    if (closed || index >= windowOf.length || into >= windowOf.length) {
      return;
    }
    for (int i = 0; i < carriedBy.length; i++) {
      if (carriedBy[i] == index) {
        carriedBy[i] = into; // shed before: it follows on down
      }
    }
    carriedBy[index] = into;
    Window w = windowOf[index];
    w.discontinuityNext = true;
    // its own segment in progress never completes: its parts leave the playlist now
    for (PartialSegment p : w.openParts) {
      w.partsToDelete.add(id + "/" + w.name + "/" + p.uri());
    }
    w.openParts.clear();
    w.map = carried(windowOf[into], windowOf[into].map);
    if (multivariantWritten) {
      writeMultivariant(); // new viewers are offered what is still encoded
    }
  }

  @Override
  public synchronized void poster(Optional<byte[]> jpeg) {
    if (closed) {
      return;
    }
    jpeg.ifPresent(bytes -> {
      store.write(id + "/poster.jpg", bytes);
      if (channel.poster().isEmpty()) {
        channel = channel.toBuilder().poster("poster.jpg").build();
      }
    });
  }

  @Override
  public synchronized void segment(int index, LiveSegments.Segment segment) {
    if (closed || index >= windowOf.length) {
      return;
    }
    Window w = windowOf[index];
    long number = w.nextNumber++;
    String uri = String.format("seg_%09d.%s", number, w.extension);
    store.write(id + "/" + w.name + "/" + uri, segment.bytes());
    List<PartialSegment> parts = List.copyOf(w.openParts);
    w.openParts.clear();
    append(w, uri, segment, parts, w.map);
    endOf[index] = segment.start() + segment.duration();
    for (int i = 0; i < carriedBy.length; i++) {
      if (carriedBy[i] != index) {
        continue;
      }
      Window c = windowOf[i];
      // from where the shed rendition's own pictures end: the same time is never shown twice
      if (carryingParts[i] || c.openParts.isEmpty()
          && segment.start() + segment.duration() / 2 >= endOf[i]) {
        // a shed rendition's viewers go on with this one's pictures, parts and all
        List<PartialSegment> carriedParts = List.copyOf(c.openParts);
        c.openParts.clear();
        append(c, "../" + w.name + "/" + uri, segment, carriedParts, carried(w, w.map));
      }
      carryingParts[i] = false;
    }
    timelineEnd = Math.max(timelineEnd, segment.start() + segment.duration());
    started[index] = true;
    if (!multivariantWritten && allStarted()) {
      writeMultivariant();
    }
  }

  @Override
  public synchronized void part(int index, LiveSegments.Part part) {
    if (closed || index >= windowOf.length || !settings().lowLatency()) {
      return;
    }
    Window w = windowOf[index];
    String uri = partUri(w, w.nextNumber, part.number());
    store.write(id + "/" + w.name + "/" + uri, part.bytes());
    if (w.openParts.isEmpty()) {
      w.openAt = wallClockAt(part.start());
    }
    PartialSegment written = PartialSegment.of(uri, ticks(part.duration()), part.independent());
    w.openParts.add(written);
    if (!part.last()) {
      publish(w); // the last part's playlist is its segment's, written next
    }
    long half = settings().segmentDuration().toNanos() * 9 / 200_000; // half a segment, 90 kHz
    for (int i = 0; i < carriedBy.length; i++) {
      if (carriedBy[i] != index) {
        continue;
      }
      Window c = windowOf[i];
      if (part.number() == 0) {
        // a segment is carried from its first part, or (begun before the shed) whole
        carryingParts[i] = c.openParts.isEmpty() && part.start() + half >= endOf[i];
      }
      if (carryingParts[i]) {
        if (c.openParts.isEmpty()) {
          c.openAt = w.openAt;
        }
        c.openParts.add(PartialSegment.of("../" + w.name + "/" + uri, written.duration(),
            written.independent()));
        if (!part.last()) {
          publish(c);
        }
      }
    }
  }

  /** {@code map} of {@code carrier}'s, as a shed rendition's playlist names it. */
  private static Optional<InitializationSection> carried(Window carrier,
      Optional<InitializationSection> map) {
    return map.map(m -> InitializationSection.of("../" + carrier.name + "/" + m.uri()));
  }

  private static String partUri(Window w, long segmentNumber, int part) {
    return String.format("seg_%09d.%d.%s", segmentNumber, part, w.extension);
  }

  private static Duration ticks(long ticks) {
    return Duration.ofNanos(ticks * 1_000_000_000L / 90_000);
  }

  private Instant wallClockAt(long ticks) {
    return sessionWall.plusNanos((ticks - sessionStart) * 1_000_000_000L / 90_000)
        .truncatedTo(ChronoUnit.MILLIS);
  }

  /** Adds a segment to {@code w}'s playlist, trims the playlist to the window and writes it. */
  private void append(Window w, String uri, LiveSegments.Segment segment,
      List<PartialSegment> parts, Optional<InitializationSection> map) {
    Duration duration = ticks(segment.duration());
    MediaSegment s = MediaSegment.builder(uri, duration)
        .discontinuity(w.discontinuityNext)
        .map(map.orElse(null))
        .programDateTime(wallClockAt(segment.start()).atOffset(ZoneOffset.UTC))
        .parts(parts)
        .build();
    w.discontinuityNext = false;
    w.segments.add(s);
    if (settings().record() != LiveSettings.Record.OFF) {
      w.all.add(parts.isEmpty() ? s : s.toBuilder().parts(List.of()).build());
    }
    w.targetDuration = Math.max(w.targetDuration, Math.max(
        (int) Math.ceil(settings().segmentDuration().toMillis() / 1000.0),
        (int) Math.round(duration.toMillis() / 1000.0)));
    trim(w);
    dropOldParts(w);
    publish(w);
  }

  /** Writes {@code w}'s live playlist and announces its new edge. */
  private void publish(Window w) {
    w.writtenEtag = store.write(id + "/" + w.name + "/index.m3u8",
        PlaylistWriter.write(live(w, false)).getBytes(StandardCharsets.UTF_8)).etag();
    announce(w, false);
  }

  private void announce(Window w, boolean ended) {
    if (!settings().lowLatency() && !ended) {
      return; // nobody holds a request for plain live HLS
    }
    long[] e = edgeOf(w);
    edge.announce(new LiveEdge.Position(id, w.name, e[0], e[1], e[2] == 1, ended));
  }

  /** {@code w}'s last part as {msn, part index or -1, whether its segment is complete}. */
  private static long[] edgeOf(Window w) {
    long open = w.mediaSequence + w.segments.size();
    if (!w.openParts.isEmpty()) {
      return new long[] {open, w.openParts.size() - 1, 0};
    }
    MediaSegment last = w.segments.peekLast();
    if (last == null) {
      return new long[] {open, -1, 0};
    }
    return new long[] {open - 1, last.parts().size() - 1, 1};
  }

  /**
   * Takes the parts out of segments more than three target durations from the end of the
   * playlist, as the HLS specification asks; their files go a segment later, when no player
   * that read the playlist before still fetches them.
   */
  private void dropOldParts(Window w) {
    if (!settings().lowLatency()) {
      return;
    }
    store.delete(w.partsToDelete); // a segment's parts at once: one request on S3
    w.partsToDelete.clear();
    long keepNanos = Duration.ofSeconds(w.targetDuration).multipliedBy(3).toNanos();
    long fromEnd = 0;
    List<MediaSegment> kept = new ArrayList<>(w.segments);
    boolean changed = false;
    for (int i = kept.size() - 1; i >= 0; i--) {
      MediaSegment s = kept.get(i);
      if (fromEnd > keepNanos && !s.parts().isEmpty()) {
        for (PartialSegment p : s.parts()) {
          if (!p.uri().startsWith("../")) { // a carrier's parts are deleted by its own window
            w.partsToDelete.add(id + "/" + w.name + "/" + p.uri());
          }
        }
        kept.set(i, s.toBuilder().parts(List.of()).build());
        changed = true;
      }
      fromEnd += s.duration().toNanos();
    }
    if (changed) {
      w.segments.clear();
      w.segments.addAll(kept);
    }
  }

  private boolean allStarted() {
    for (int i = 0; i < started.length; i++) {
      if (!started[i] && carriedBy[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Takes out what is older than the DVR window; deletes it unless it is recorded. */
  private void trim(Window w) {
    long keepNanos = settings().dvr().toNanos();
    long total = 0;
    for (MediaSegment s : w.segments) {
      total += s.duration().toNanos();
    }
    while (w.segments.size() > 3 && total - w.segments.peekFirst().duration().toNanos()
        >= keepNanos) {
      MediaSegment gone = w.segments.pollFirst();
      total -= gone.duration().toNanos();
      w.mediaSequence++;
      MediaSegment next = w.segments.peekFirst();
      if (next != null && next.discontinuity()) {
        // the discontinuity leaves the window with the segment before it
        w.discontinuitySequence++;
      }
      if (settings().record() == LiveSettings.Record.OFF && !gone.uri().startsWith("../")) {
        // another rendition's segment (carried for a shed one) is deleted by its own window
        List<String> keys = new ArrayList<>(List.of(id + "/" + w.name + "/" + gone.uri()));
        // and an earlier broadcast's initialization section with its last segment
        gone.map().filter(m -> !m.uri().startsWith("../") && !w.map.equals(Optional.of(m))
            && (next == null || !next.map().equals(Optional.of(m))))
            .ifPresent(m -> keys.add(id + "/" + w.name + "/" + m.uri()));
        store.delete(keys);
      }
    }
  }

  private MediaPlaylist live(Window w, boolean ended) {
    MediaPlaylist p = unversioned(w, ended);
    boolean maps = w.map.isPresent() || w.segments.stream().anyMatch(x -> x.map().isPresent());
    // EXT-X-MAP in a playlist that is not I-frames only takes version 6
    return maps && p.version() < 6 ? p.toBuilder().version(6).build() : p;
  }

  private MediaPlaylist unversioned(Window w, boolean ended) {
    MediaPlaylist.Builder b = MediaPlaylist.builder()
        .mediaSequence(w.mediaSequence)
        .discontinuitySequence(w.discontinuitySequence)
        .targetDuration(w.targetDuration)
        .independentSegments(true)
        .segments(new ArrayList<>(w.segments))
        .endList(ended);
    LiveSettings s = settings();
    if (!s.lowLatency()) {
      return b.build();
    }
    Duration target = Duration.ofSeconds(Math.max(1, w.targetDuration));
    b.partTarget(s.partTarget())
        // players hold three parts back; delta updates leave out what is six targets old
        .serverControl(ServerControl.lowLatency(s.partTarget().multipliedBy(3),
            target.multipliedBy(6)));
    if (ended) {
      return b.build();
    }
    if (!w.openParts.isEmpty()) {
      // a session's first parts come before its first segment names its initialization section
      Optional<InitializationSection> last = w.segments.isEmpty() ? Optional.empty()
          : w.segments.peekLast().map();
      b.openSegment(new OpenSegment(w.discontinuityNext,
          Optional.ofNullable(w.openAt).map(t -> t.atOffset(ZoneOffset.UTC)),
          w.map.equals(last) ? Optional.empty() : w.map, w.openParts));
    }
    int carrier = -1;
    for (int i = 0; i < windowOf.length; i++) {
      if (windowOf[i] == w && carriedBy[i] >= 0) {
        carrier = carriedBy[i];
      }
    }
    if (carrier < 0 && !w.segments.isEmpty()) {
      b.addPreloadHint(PreloadHint.part(partUri(w, w.nextNumber, w.openParts.size())));
    } else if (carrier >= 0 && !w.openParts.isEmpty()) {
      Window c = windowOf[carrier]; // a shed rendition's next part is its carrier's
      b.addPreloadHint(PreloadHint.part("../" + c.name + "/"
          + partUri(c, c.nextNumber, c.openParts.size())));
    }
    for (Window other : windowOf) {
      if (other != w && !other.segments.isEmpty()) {
        long[] e = edgeOf(other);
        b.addRenditionReport(new RenditionReport("../" + other.name + "/index.m3u8",
            Optional.of(e[0]), e[1] >= 0 ? Optional.of(e[1]) : Optional.empty()));
      }
    }
    return b.build();
  }

  private void writeMultivariant() {
    List<RenditionInfo> infos = new ArrayList<>();
    MultivariantPlaylist.Builder mv = MultivariantPlaylist.builder().independentSegments(true);
    // highest first in channel.json, lowest first in the playlist (players start with the first)
    for (int i = 0; i < current.size(); i++) {
      if (carriedBy[i] >= 0) {
        continue; // shed: no longer offered
      }
      LiveSegments.Rendition r = current.get(i);
      Variant.Builder v = Variant.builder(r.name() + "/index.m3u8", r.bandwidth())
          .codecs(r.codecs());
      if (r.width() > 0) {
        v.resolution(r.width(), r.height());
        if (r.frameRate() > 0) {
          v.frameRate(r.frameRate());
        }
      }
      mv.addVariant(v.build());
      infos.add(0, new RenditionInfo(r.name(), r.name() + "/index.m3u8",
          r.width() > 0 ? Optional.of(new Resolution(r.width(), r.height())) : Optional.empty(),
          r.bandwidth(), 0, r.codecs()));
    }
    store.write(id + "/" + ChannelMetadata.ENTRY_PLAYLIST,
        PlaylistWriter.write(mv.build()).getBytes(StandardCharsets.UTF_8));
    multivariantWritten = true;
    ChannelMetadata.Builder b = channel.toBuilder().clearRenditions();
    infos.forEach(b::addRendition);
    LiveSettings s = settings();
    ChannelMetadata live = b.build().withLive(s.state() == LiveSettings.State.LIVE ? s
        : s.withState(LiveSettings.State.LIVE, sessionWall));
    update(live);
  }

  private void update(ChannelMetadata m) {
    channel = m;
    store.updateMetadata(m);
  }


  /**
   * The broadcast is over (its publisher left and the grace passed): every playlist is closed
   * with {@code EXT-X-ENDLIST}; with {@link LiveSettings.Record#VOD} the channel becomes a
   * video on demand of the whole broadcast.
   *
   * @return the channel's metadata now
   */
  public synchronized ChannelMetadata endBroadcast(Instant at) {
    LiveSettings s = settings();
    if (closed || s.state() != LiveSettings.State.LIVE) {
      return channel;
    }
    if (continuedElsewhere()) {
      LOG.info("live channel {}: its publisher went on through another instance, which ends"
          + " the broadcast when it is over", id);
      closed = true;
      return channel;
    }
    switch (s.record()) {
      case VOD -> {
        Duration total = Duration.ZERO;
        for (Window w : windows.values()) {
          MediaPlaylist whole = LiveRecordings.vod(List.copyOf(w.all), w.targetDuration);
          writePlaylist(w, whole);
          announce(w, true);
          total = whole.totalDuration().compareTo(total) > 0 ? whole.totalDuration() : total;
        }
        update(channel.toBuilder().live(null).duration(total).build());
        LOG.info("live channel {} ended: now a video on demand of {} s", id, total.toSeconds());
      }
      case ARCHIVE -> {
        Map<String, List<MediaSegment>> recorded = new LinkedHashMap<>();
        Map<String, Integer> targets = new LinkedHashMap<>();
        for (Window w : windows.values()) {
          recorded.put(w.name, List.copyOf(w.all));
          targets.put(w.name, w.targetDuration);
        }
        ChannelMetadata archived = LiveRecordings.archive(store, channel, recorded, targets,
            s.since());
        // the live channel waits for its next broadcast: nothing of this one stays in it
        for (Window w : windows.values()) {
          store.deletePrefix(id + "/" + w.name + "/");
          announce(w, true);
        }
        store.deletePrefix(id + "/" + ChannelMetadata.ENTRY_PLAYLIST);
        update(channel.toBuilder().clearRenditions().build()
            .withLive(s.withState(LiveSettings.State.WAITING, at)));
        LOG.info("live channel {} ended: recorded as {} ({} s)", id, archived.id(),
            archived.duration().toSeconds());
      }
      default -> {
        for (Window w : windows.values()) {
          w.openParts.clear();
          writePlaylist(w, live(w, true));
          announce(w, true);
        }
        update(channel.withLive(s.withState(LiveSettings.State.ENDED, at)));
        LOG.info("live channel {} ended", id);
      }
    }
    closed = true;
    return channel;
  }

  private void writePlaylist(Window w, MediaPlaylist p) {
    store.write(id + "/" + w.name + "/index.m3u8",
        PlaylistWriter.write(p).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether another writer (another instance's) has written a playlist since this one did. */
  private boolean continuedElsewhere() {
    for (Window w : windows.values()) {
      if (w.writtenEtag == null) {
        continue;
      }
      Optional<String> now = store.open(id + "/" + w.name + "/index.m3u8")
          .map(o -> o.info().etag());
      if (now.isPresent() && !now.get().equals(w.writtenEtag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes nothing more: the channel was deleted, or is no longer live. What a session still
   * hands on is dropped.
   */
  public synchronized void close() {
    closed = true;
  }
}
