package io.hlskit.core.linear;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a linear channel plays: stored channels one after another from {@code start}, again from
 * the first after the last when {@code loop} is set. Every instance that reads the same schedule
 * computes the same live playlists at the same instant (see {@link LinearTimeline}).
 *
 * @param start when the first item goes on air; from 1970 up to (not including) 2100
 * @param loop whether the schedule starts over after its last item; without, the channel ends
 * @param items the channels played, in order: 1 to {@value #MAX_ITEMS}
 */
public record Schedule(Instant start, boolean loop, List<Item> items) {
  /** The most items a schedule may hold. */
  public static final int MAX_ITEMS = 10_000;

  /** The earliest start accepted. */
  public static final Instant EARLIEST_START = Instant.EPOCH;

  /** The first start no longer accepted (2100-01-01T00:00:00Z). */
  public static final Instant LATEST_START = Instant.parse("2100-01-01T00:00:00Z");

  /**
   * One entry of a schedule.
   *
   * @param channel the id of the stored (video on demand) channel played
   */
  public record Item(String channel) {
    public Item {
      if (channel == null || !StorageKeys.isValidChannelId(channel)) {
        throw new IllegalArgumentException("channel: '" + channel + "' is not a channel id;"
            + " use the id of a stored channel (lower-case letters, digits, '_' and '-')");
      }
    }
  }

  /**
   * Checks the schedule.
   *
   * @throws IllegalArgumentException naming the field that is wrong ({@code start}, {@code
   *     items}, {@code items[3].channel}) and what is expected
   */
  public Schedule {
    Objects.requireNonNull(start, "start");
    if (start.isBefore(EARLIEST_START) || !start.isBefore(LATEST_START)) {
      throw new IllegalArgumentException("start: " + start + " is out of range; give an instant"
          + " from 1970-01-01T00:00:00Z up to 2100-01-01T00:00:00Z");
    }
    Objects.requireNonNull(items, "items");
    if (items.isEmpty()) {
      throw new IllegalArgumentException("items: the schedule is empty; list at least one"
          + " channel to play");
    }
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException("items: " + items.size() + " items, more than the "
          + MAX_ITEMS + " a schedule may hold");
    }
    items = List.copyOf(items);
  }

  /** A schedule of {@code channels}, in order. */
  public static Schedule of(Instant start, boolean loop, String... channels) {
    List<Item> items = new ArrayList<>();
    for (String c : channels) {
      items.add(new Item(c));
    }
    return new Schedule(start, loop, items);
  }

  /**
   * The schedule as {@code channel.json} and the API hold it: {@code start} (ISO 8601), {@code
   * loop}, {@code items} (each {@code {"channel": id}}). A new map each call.
   */
  public Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", start.toString());
    m.put("loop", loop);
    List<Object> list = new ArrayList<>(items.size());
    for (Item item : items) {
      list.add(Map.of("channel", item.channel()));
    }
    m.put("items", list);
    return m;
  }

  /**
   * Reads a schedule from parsed JSON (maps, lists, strings, booleans): the shape of {@link
   * #toJsonMap}; {@code loop} defaults to true and {@code start} to {@code defaultStart} (when
   * null, a start must be given).
   *
   * @throws IllegalArgumentException naming the field that is wrong and what is expected
   */
  public static Schedule fromJsonMap(Object json, Instant defaultStart) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("schedule: expected an object with start, loop and"
          + " items");
    }
    Instant start = defaultStart;
    Object s = m.get("start");
    if (s != null) {
      if (!(s instanceof String text)) {
        throw new IllegalArgumentException("start: expected an ISO 8601 instant such as"
            + " \"2026-11-28T00:00:00Z\"");
      }
      try {
        start = Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("start: '" + text + "' is not an ISO 8601 instant;"
            + " write it as 2026-11-28T00:00:00Z");
      }
    }
    if (start == null) {
      throw new IllegalArgumentException("start: missing; give an ISO 8601 instant such as"
          + " \"2026-11-28T00:00:00Z\"");
    }
    Object l = m.get("loop");
    if (l != null && !(l instanceof Boolean)) {
      throw new IllegalArgumentException("loop: expected true or false");
    }
    Object list = m.get("items");
    if (!(list instanceof List<?> entries)) {
      throw new IllegalArgumentException("items: expected a list of {\"channel\": id}");
    }
    if (entries.size() > MAX_ITEMS) { // before reading them all
      throw new IllegalArgumentException("items: " + entries.size() + " items, more than the "
          + MAX_ITEMS + " a schedule may hold");
    }
    List<Item> items = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      Object e = entries.get(i);
      Object channel = e instanceof Map<?, ?> item ? item.get("channel") : null;
      if (!(channel instanceof String id)) {
        throw new IllegalArgumentException("items[" + i + "].channel: expected a channel id,"
            + " as in {\"channel\": \"canal1\"}");
      }
      try {
        items.add(new Item(id));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("items[" + i + "]." + ex.getMessage());
      }
    }
    return new Schedule(start, l == null || (Boolean) l, items);
  }

  /**
   * Checks that every item can be played in this schedule: a stored public channel on demand
   * (not a linear one), with each rendition of the first item under the same name, playlist and
   * codecs (levels aside), so that a player switching renditions finds them across item changes.
   *
   * @param channels looks a channel up by id, such as {@code catalog::get}
   * @return the first item's channel, whose renditions the linear channel offers
   * @throws IllegalArgumentException naming the item ({@code items[2].channel}) and the
   *     rendition that is wrong
   */
  public ChannelMetadata requirePlayable(Function<String, Optional<ChannelMetadata>> channels) {
    ChannelMetadata first = null;
    for (int i = 0; i < items.size(); i++) {
      String id = items.get(i).channel();
      String field = "items[" + i + "].channel: '" + id + "'";
      ChannelMetadata c = channels.apply(id).orElseThrow(() -> new IllegalArgumentException(
          field + " is not a stored channel; publish it first or leave it out"));
      if (c.isLinear()) {
        throw new IllegalArgumentException(field + " is a linear channel; a schedule plays"
            + " channels on demand only");
      }
      if (c.isPrivate()) {
        throw new IllegalArgumentException(field + " is private; a schedule plays public"
            + " channels, whose segments every viewer of the linear channel may fetch");
      }
      if (first == null) {
        first = c;
        continue;
      }
      if (!c.playlist().equals(first.playlist())) {
        throw new IllegalArgumentException(field + " starts at '" + c.playlist() + "', the"
            + " first item at '" + first.playlist() + "'; items must share one layout");
      }
      for (RenditionInfo r : first.renditions()) {
        RenditionInfo match = c.renditions().stream().filter(x -> x.name().equals(r.name()))
            .findFirst().orElseThrow(() -> new IllegalArgumentException(field + " has no"
                + " rendition '" + r.name() + "', which the first item has; transcode it with"
                + " the same profile or ladder"));
        if (!match.playlist().equals(r.playlist()) || !sameCodecs(match.codecs(), r.codecs())) {
          throw new IllegalArgumentException(field + ": rendition '" + r.name() + "' is "
              + match.playlist() + " " + match.codecs() + ", the first item's " + r.playlist()
              + " " + r.codecs() + "; items must share codecs to play as one stream");
        }
      }
    }
    return first;
  }

  /**
   * Whether two renditions' codecs play as one stream: the same codecs, profiles and constraints;
   * levels may differ (a portrait and a landscape video of one profile get different H.264
   * levels, and decoders take any level of the profile they were set up for).
   */
  static boolean sameCodecs(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!withoutLevel(a.get(i)).equals(withoutLevel(b.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /** {@code avc1.64001f} as {@code avc1.6400}; {@code hvc1.1.6.L93.B0} as {@code hvc1.1.6.B0}. */
  private static String withoutLevel(String codec) {
    String c = codec.strip();
    if ((c.startsWith("avc1.") || c.startsWith("avc3.")) && c.length() == 11) {
      return c.substring(0, 9);
    }
    if (c.startsWith("hvc1.") || c.startsWith("hev1.")) {
      StringBuilder out = new StringBuilder();
      for (String part : c.split("\\.")) {
        boolean level = part.length() > 1 && (part.charAt(0) == 'L' || part.charAt(0) == 'H')
            && part.substring(1).chars().allMatch(Character::isDigit);
        if (!level) {
          out.append(out.length() == 0 ? "" : ".").append(part);
        }
      }
      return out.toString();
    }
    return c;
  }
}
