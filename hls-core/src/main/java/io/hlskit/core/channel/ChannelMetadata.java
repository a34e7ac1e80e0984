package io.hlskit.core.channel;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.internal.Json;
import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.Resolution;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel's metadata: what {@code <channel>/channel.json} holds and what the channel API lists.
 *
 * @param id the channel id ({@link StorageKeys#CHANNEL_ID})
 * @param title a human-readable title
 * @param duration the length of the video
 * @param renditions the renditions, highest first; empty when unknown (a folder dropped in
 *     without {@code channel.json})
 * @param playlist the entry playlist relative to the channel, normally {@code playlist.m3u8}
 * @param poster the poster image relative to the channel, when there is one
 * @param thumbnails the WebVTT track of thumbnails for scrubbing (cues naming regions of tile
 *     sheets, {@code tiles-00000.jpg#xywh=0,0,320,180}) relative to the channel, when there is one
 * @param source the name of the file the channel was made from, when known
 * @param created when the channel was published
 * @param visibility public (the default) or private: who may list and play it
 * @param schedule for a linear channel, what it plays (see {@link LinearTimeline}); empty for a
 *     channel on demand. A linear channel has no segments of its own: its renditions are those
 *     its items share.
 * @param live for a live channel (an encoder's or a browser's stream), how it is encoded and kept
 *     and where its broadcast stands; empty otherwise
 */
public record ChannelMetadata(String id, String title, Duration duration,
    List<RenditionInfo> renditions, String playlist, Optional<String> poster,
    Optional<String> thumbnails, Optional<String> source, Instant created, Visibility visibility,
    Optional<Schedule> schedule, Optional<LiveSettings> live) {

  /** The name of a channel's entry playlist, as most HLS packagers write it. */
  public static final String ENTRY_PLAYLIST = "playlist.m3u8";

  public ChannelMetadata {
    StorageKeys.requireChannelId(id);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    renditions = List.copyOf(renditions);
    StorageKeys.requireKey(playlist);
    Objects.requireNonNull(poster, "poster").ifPresent(StorageKeys::requireKey);
    Objects.requireNonNull(thumbnails, "thumbnails").ifPresent(StorageKeys::requireKey);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(live, "live");
    if (schedule.isPresent() && live.isPresent()) {
      throw new IllegalArgumentException("a channel is linear or live, not both");
    }
  }

  /** Whether it is a linear channel: a schedule played as live HLS. */
  public boolean isLinear() {
    return schedule.isPresent();
  }

  /** Whether it is a live channel: a publisher's stream, its playlists growing as it comes. */
  public boolean isLive() {
    return live.isPresent();
  }

  /** The same metadata with the live settings {@code settings}. */
  public ChannelMetadata withLive(LiveSettings settings) {
    return new ChannelMetadata(id, title, duration, renditions, playlist, poster, thumbnails,
        source, created, visibility, schedule, Optional.of(settings));
  }

  /** Whether only requests with valid credentials may list and play it. */
  public boolean isPrivate() {
    return visibility == Visibility.PRIVATE;
  }

  /** A builder for channel {@code id}, titled with the id until told otherwise. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this metadata, to change some of it. */
  public Builder toBuilder() {
    Builder b = builder(id).title(title).duration(duration).playlist(playlist)
        .created(created).visibility(visibility);
    renditions.forEach(b::addRendition);
    poster.ifPresent(b::poster);
    thumbnails.ifPresent(b::thumbnails);
    source.ifPresent(b::source);
    schedule.ifPresent(b::schedule);
    live.ifPresent(b::live);
    return b;
  }

  /** The JSON of {@code channel.json}. */
  public String toJson() {
    return Json.write(toJsonMap());
  }

  /**
   * The fields of {@code channel.json}, in its order, as JSON values (strings, numbers, lists and
   * maps of them), for an API that answers a channel in the same shape: {@code id}, {@code
   * title}, {@code durationSeconds} (a decimal number of seconds), {@code renditions} (each with
   * {@code name}, {@code playlist}, {@code width} and {@code height} when known, {@code
   * bandwidth}, {@code averageBandwidth} and {@code codecs}, a list), {@code playlist}, {@code
   * poster}, {@code thumbnails} and {@code source} when known, and {@code created} (ISO 8601). A
   * new map each call.
   */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("title", title);
    schedule.ifPresent(sc -> m.put("kind", "linear"));
    live.ifPresent(l -> m.put("kind", "live"));
    m.put("durationSeconds", seconds(duration));
    List<Object> list = new ArrayList<>();
    for (RenditionInfo r : renditions) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("name", r.name());
      rm.put("playlist", r.playlist());
      r.resolution().ifPresent(res -> {
        rm.put("width", res.width());
        rm.put("height", res.height());
      });
      rm.put("bandwidth", r.bandwidth());
      rm.put("averageBandwidth", r.averageBandwidth());
      rm.put("codecs", new ArrayList<Object>(r.codecs()));
      list.add(rm);
    }
    m.put("renditions", list);
    m.put("playlist", playlist);
    poster.ifPresent(p -> m.put("poster", p));
    thumbnails.ifPresent(t -> m.put("thumbnails", t));
    source.ifPresent(s -> m.put("source", s));
    m.put("created", created.toString());
    m.put("visibility", visibility.jsonName());
    schedule.ifPresent(sc -> m.put("schedule", sc.toJsonMap()));
    live.ifPresent(l -> m.put("live", l.toJsonMap()));
    return m;
  }

  /** The JSON of {@code channel.json} as UTF-8 bytes. */
  public byte[] toJsonBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads {@code channel.json}.
   *
   * @throws StorageException when it is not valid metadata, saying what is wrong
   */
  public static ChannelMetadata fromJson(String json) {
    try {
      Object parsed = Json.parse(json);
      if (!(parsed instanceof Map)) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      Map<?, ?> m = (Map<?, ?>) parsed;
      Builder b = builder(string(m, "id"))
          .title(string(m, "title"))
          .duration(toDuration(number(m, "durationSeconds")))
          .playlist(string(m, "playlist"))
          .created(Instant.parse(string(m, "created")));
      if (m.get("poster") != null) {
        b.poster(string(m, "poster"));
      }
      if (m.get("thumbnails") != null) {
        b.thumbnails(string(m, "thumbnails"));
      }
      if (m.get("source") != null) {
        b.source(string(m, "source"));
      }
      if (m.get("visibility") != null) {
        b.visibility(Visibility.parse(string(m, "visibility")));
      }
      Object kind = m.get("kind");
      if (kind != null && !"linear".equals(kind) && !"vod".equals(kind)
          && !"live".equals(kind)) {
        throw new IllegalArgumentException("\"kind\" must be \"vod\", \"linear\" or \"live\"");
      }
      if ("live".equals(kind)) {
        b.live(LiveSettings.fromJsonMap(m.get("live")));
      }
      if ("linear".equals(kind)) {
        if (!(m.get("schedule") instanceof Map)) {
          throw new IllegalArgumentException("a linear channel needs a \"schedule\": an object"
              + " with start, loop and items");
        }
        try {
          b.schedule(Schedule.fromJsonMap(m.get("schedule"), null));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("schedule." + e.getMessage(), e);
        }
      }
      Object renditions = m.get("renditions");
      if (renditions != null) {
        if (!(renditions instanceof List)) {
          throw new IllegalArgumentException("renditions must be an array");
        }
        for (Object o : (List<?>) renditions) {
          if (!(o instanceof Map)) {
            throw new IllegalArgumentException("each rendition must be an object");
          }
          Map<?, ?> r = (Map<?, ?>) o;
          Optional<Resolution> res = r.get("width") == null ? Optional.empty()
              : Optional.of(new Resolution(number(r, "width").intValueExact(),
                  number(r, "height").intValueExact()));
          List<String> codecs = new ArrayList<>();
          Object c = r.get("codecs");
          if (c instanceof List) {
            for (Object codec : (List<?>) c) {
              codecs.add(String.valueOf(codec));
            }
          }
          b.addRendition(new RenditionInfo(string(r, "name"), string(r, "playlist"), res,
              number(r, "bandwidth").longValueExact(),
              r.get("averageBandwidth") == null ? 0
                  : number(r, "averageBandwidth").longValueExact(), codecs));
        }
      }
      return b.build();
    } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException
        | StorageException e) {
      throw new StorageException("invalid channel.json: " + e.getMessage()
          + "; rewrite it or delete it to derive the metadata from the playlist", e);
    }
  }

  private static String string(Map<?, ?> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof String)) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string");
    }
    return (String) v;
  }

  private static BigDecimal number(Map<?, ?> m, String name) {
    Object v = m.get(name);
    if (!(v instanceof BigDecimal)) {
      throw new IllegalArgumentException("\"" + name + "\" must be a number");
    }
    return (BigDecimal) v;
  }

  private static BigDecimal seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
  }

  private static Duration toDuration(BigDecimal seconds) {
    return Duration.ofMillis(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
        .longValueExact());
  }

  /** Builds {@link ChannelMetadata}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private String title;
    private Duration duration = Duration.ZERO;
    private final List<RenditionInfo> renditions = new ArrayList<>();
    private String playlist = ENTRY_PLAYLIST;
    private Optional<String> poster = Optional.empty();
    private Optional<String> thumbnails = Optional.empty();
    private Optional<String> source = Optional.empty();
    private Instant created = Instant.ofEpochMilli(System.currentTimeMillis());
    private Visibility visibility = Visibility.PUBLIC;
    private Optional<Schedule> schedule = Optional.empty();
    private Optional<LiveSettings> live = Optional.empty();

    private Builder(String id) {
      this.id = id;
      this.title = id;
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** The duration, kept to the millisecond as {@code channel.json} stores it. */
    public Builder duration(Duration duration) {
      this.duration = Duration.ofMillis(duration.toMillis());
      return this;
    }

    /** Takes the renditions out, to add others. */
    public Builder clearRenditions() {
      renditions.clear();
      return this;
    }

    public Builder addRendition(RenditionInfo rendition) {
      renditions.add(rendition);
      return this;
    }

    public Builder playlist(String playlist) {
      this.playlist = playlist;
      return this;
    }

    public Builder poster(String poster) {
      this.poster = Optional.ofNullable(poster);
      return this;
    }

    /** The WebVTT thumbnails track, relative to the channel. */
    public Builder thumbnails(String thumbnails) {
      this.thumbnails = Optional.ofNullable(thumbnails);
      return this;
    }

    public Builder source(String source) {
      this.source = Optional.ofNullable(source);
      return this;
    }

    /** When it was published; kept to the millisecond. Defaults to now. */
    public Builder created(Instant created) {
      this.created = Instant.ofEpochMilli(created.toEpochMilli());
      return this;
    }

    /** Public (the default) or private. */
    public Builder visibility(Visibility visibility) {
      this.visibility = Objects.requireNonNull(visibility, "visibility");
      return this;
    }

    /** Makes it a linear channel playing {@code schedule}; null for a channel on demand. */
    public Builder schedule(Schedule schedule) {
      this.schedule = Optional.ofNullable(schedule);
      return this;
    }

    /** Makes it a live channel with {@code settings}; null for a channel on demand. */
    public Builder live(LiveSettings settings) {
      this.live = Optional.ofNullable(settings);
      return this;
    }

    public ChannelMetadata build() {
      return new ChannelMetadata(id, title, duration, renditions, playlist, poster, thumbnails,
          source, created, visibility, schedule, live);
    }
  }
}
