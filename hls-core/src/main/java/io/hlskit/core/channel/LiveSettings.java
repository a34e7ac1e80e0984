package io.hlskit.core.channel;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What makes a channel live: how a publisher's stream is encoded and kept, and where the
 * broadcast stands. Stored in {@code channel.json} under {@code "live"} ({@code "kind":"live"}).
 *
 * @param profile how the stream is encoded, as the transcoder names it: a profile ({@code low},
 *     {@code medium}, {@code high}, {@code abr}, {@code source}: the codecs copied) or a ladder
 *     ({@code 720p:2500k,360p:800k})
 * @param segmentDuration segment length, 1 to 6 s (2 s by default)
 * @param dvr how far back the playlists reach (the segments older than that are deleted unless
 *     the broadcast is recorded)
 * @param record what becomes of a broadcast that ended
 * @param takeover whether a second publisher may take the channel over from the one live
 * @param state where the broadcast stands
 * @param since when it entered that state
 * @param srtPort the UDP port of the channel's own SRT listener (libav's listener takes one
 *     caller per port, so each SRT channel has its own), its stream key's secret the passphrase;
 *     0 for none
 * @param partTarget Low-Latency HLS: the longest partial segment, 0.2 to 1 s ({@link
 *     #DEFAULT_PART}); {@link Duration#ZERO} for plain live HLS, segments only
 * @param format how segments and parts are packaged: MPEG-TS, or fragmented MP4 (CMAF)
 */
public record LiveSettings(String profile, Duration segmentDuration, Duration dvr, Record record,
    boolean takeover, State state, Instant since, int srtPort, Duration partTarget,
    Format format) {

  /** The default segment length of a live channel: short, for a viewer close to the edge. */
  public static final Duration DEFAULT_SEGMENT = Duration.ofSeconds(2);
  /**
   * The default partial segment of Low-Latency HLS: a third of a second (ten pictures at 30 per
   * second, eight at 25), players then hold about a second behind the live edge.
   */
  public static final Duration DEFAULT_PART = Duration.ofMillis(334);
  /** The default DVR window. */
  public static final Duration DEFAULT_DVR = Duration.ofMinutes(5);
  /** The longest DVR window taken. */
  public static final Duration MAX_DVR = Duration.ofHours(24);

  /** Where a broadcast stands. */
  public enum State {
    /** Created, nobody has published yet, or the last broadcast ended and nothing is kept. */
    WAITING,
    /** A publisher is sending, or dropped and may come back within the grace. */
    LIVE,
    /** The broadcast ended; its playlists are closed (ENDLIST). */
    ENDED;

    /** {@code waiting}, {@code live} or {@code ended}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State parse(String name) {
      for (State s : values()) {
        if (s.jsonName().equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("live.state must be waiting, live or ended, not '"
          + name + "'");
    }
  }

  /** How a live channel's segments and parts are packaged. */
  public enum Format {
    /** MPEG-TS ({@code .ts}): what every HLS player reads. */
    TS,
    /**
     * Fragmented MP4, CMAF ({@code .m4s} behind an {@code init.mp4}, {@code EXT-X-MAP}): each
     * part one fragment; what DASH players and HEVC in Apple's players need.
     */
    FMP4;

    /** {@code ts} or {@code fmp4}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code name}: {@code ts} or {@code fmp4} (any case; {@code mp4},
     * {@code cmaf} also mean fMP4).
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static Format parse(String name) {
      switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "ts", "mpegts", "mpeg-ts":
          return TS;
        case "fmp4", "mp4", "cmaf":
          return FMP4;
        default:
          throw new IllegalArgumentException("format must be ts (MPEG-TS) or fmp4 (fragmented"
              + " MP4, CMAF), not '" + name + "'");
      }
    }
  }

  /** What becomes of a broadcast that ended (the publisher left and the grace passed). */
  public enum Record {
    /** Nothing: segments past the DVR window are deleted, the channel waits for the next one. */
    OFF,
    /** The channel becomes a video on demand of the whole broadcast. */
    VOD,
    /**
     * The whole broadcast is kept as a channel of its own on demand, {@code <id>-<yyyyMMdd-HHmm>},
     * and the live channel waits for the next broadcast.
     */
    ARCHIVE;

    /** {@code off}, {@code vod} or {@code archive}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode named {@code name} ({@code off}, {@code vod} or {@code archive}, any case;
     * {@code none}, {@code no} and {@code false} also mean off).
     *
     * @throws IllegalArgumentException naming the values allowed
     */
    public static Record parse(String name) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      switch (n) {
        case "off", "none", "no", "false":
          return OFF;
        case "vod", "yes", "true":
          return VOD;
        case "archive":
          return ARCHIVE;
        default:
          throw new IllegalArgumentException("record must be off, vod (the channel becomes the"
              + " recording) or archive (a dated recording beside it), not '" + name + "'");
      }
    }
  }

  public LiveSettings {
    Objects.requireNonNull(profile, "profile");
    if (profile.isBlank()) {
      throw new IllegalArgumentException("live.profile must name a profile or a ladder");
    }
    Objects.requireNonNull(segmentDuration, "segmentDuration");
    if (segmentDuration.compareTo(Duration.ofSeconds(1)) < 0
        || segmentDuration.compareTo(Duration.ofSeconds(6)) > 0) {
      throw new IllegalArgumentException("a live segment lasts 1 to 6 s, not "
          + segmentDuration.toMillis() / 1000.0 + " s");
    }
    Objects.requireNonNull(dvr, "dvr");
    if (dvr.compareTo(segmentDuration.multipliedBy(3)) < 0 || dvr.compareTo(MAX_DVR) > 0) {
      throw new IllegalArgumentException("the DVR window must hold three segments at least and"
          + " last 24 h at most, not " + dvr.toSeconds() + " s");
    }
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    since = Instant.ofEpochMilli(since.toEpochMilli());
    if (srtPort < 0 || srtPort > 65535) {
      throw new IllegalArgumentException("live.srtPort must be a UDP port, 1 to 65535 (0 for no"
          + " SRT), not " + srtPort);
    }
    Objects.requireNonNull(partTarget, "partTarget");
    if (!partTarget.isZero() && (partTarget.compareTo(Duration.ofMillis(200)) < 0
        || partTarget.compareTo(Duration.ofSeconds(1)) > 0)) {
      throw new IllegalArgumentException("a low-latency part lasts 0.2 to 1 s (0 for plain live"
          + " HLS), not " + partTarget.toMillis() / 1000.0 + " s");
    }
    Objects.requireNonNull(format, "format");
    if (partTarget.compareTo(segmentDuration.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("a low-latency part of " + partTarget.toMillis() / 1000.0
          + " s needs segments of twice that at least, not " + segmentDuration.toMillis() / 1000.0
          + " s");
    }
  }

  /** Whether the channel is served as Low-Latency HLS, in partial segments. */
  public boolean lowLatency() {
    return !partTarget.isZero();
  }

  /** Settings for {@code profile} with the defaults: 2 s segments, 5 min DVR, no recording. */
  public static LiveSettings of(String profile) {
    return new LiveSettings(profile, DEFAULT_SEGMENT, DEFAULT_DVR, Record.OFF, false,
        State.WAITING, Instant.now(), 0, DEFAULT_PART, Format.TS);
  }

  /** The same settings in {@code state} since {@code at}. */
  public LiveSettings withState(State state, Instant at) {
    return new LiveSettings(profile, segmentDuration, dvr, record, takeover, state, at, srtPort,
        partTarget, format);
  }

  /** The same settings with another profile or ladder. */
  public LiveSettings withProfile(String profile) {
    return new LiveSettings(profile, segmentDuration, dvr, record, takeover, state, since,
        srtPort, partTarget, format);
  }

  /** The same settings with segments of {@code d}. */
  public LiveSettings withSegmentDuration(Duration d) {
    return new LiveSettings(profile, d, dvr, record, takeover, state, since, srtPort, partTarget,
        format);
  }

  /** The same settings with a DVR window of {@code d}. */
  public LiveSettings withDvr(Duration d) {
    return new LiveSettings(profile, segmentDuration, d, record, takeover, state, since, srtPort,
        partTarget, format);
  }

  /** The same settings recording as {@code r}. */
  public LiveSettings withRecord(Record r) {
    return new LiveSettings(profile, segmentDuration, dvr, r, takeover, state, since, srtPort,
        partTarget, format);
  }

  /** The same settings with an SRT listener on UDP port {@code port}, or none with 0. */
  public LiveSettings withSrtPort(int port) {
    return new LiveSettings(profile, segmentDuration, dvr, record, takeover, state, since, port,
        partTarget, format);
  }

  /** The same settings with low-latency parts of {@code d}, or plain live HLS with zero. */
  public LiveSettings withPartTarget(Duration d) {
    return new LiveSettings(profile, segmentDuration, dvr, record, takeover, state, since, srtPort,
        d, format);
  }

  /** The same settings packaged as {@code f}. */
  public LiveSettings withFormat(Format f) {
    return new LiveSettings(profile, segmentDuration, dvr, record, takeover, state, since, srtPort,
        partTarget, f);
  }

  /**
   * The same settings as Low-Latency HLS (keeping a part length already set, else {@link
   * #DEFAULT_PART}) or as plain live HLS.
   */
  public LiveSettings withLowLatency(boolean on) {
    return withPartTarget(!on ? Duration.ZERO : lowLatency() ? partTarget : DEFAULT_PART);
  }

  /** The same settings letting a second publisher take over, or not. */
  public LiveSettings withTakeover(boolean allowed) {
    return new LiveSettings(profile, segmentDuration, dvr, record, allowed, state, since,
        srtPort, partTarget, format);
  }

  /**
   * A duration as live options write it: a number with {@code s}, {@code m} or {@code h}
   * ({@code 30s}, {@code 5m}, {@code 1.5h}), or plain seconds ({@code 30}).
   *
   * @param what the option's name, for the error
   * @throws IllegalArgumentException naming {@code what} and the forms taken
   */
  public static Duration parseDuration(String text, String what) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    long unit = 1000;
    if (t.endsWith("ms")) {
      unit = 1;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unit = 60_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unit = 3_600_000;
      t = t.substring(0, t.length() - 1);
    }
    try {
      BigDecimal n = new BigDecimal(t.strip());
      if (n.signum() < 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(n.multiply(BigDecimal.valueOf(unit)).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(what + " must be a duration such as 30s, 5m, 1h or"
          + " plain seconds, not '" + text + "'");
    }
  }

  Map<String, Object> toJsonMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("profile", profile);
    m.put("segmentSeconds", BigDecimal.valueOf(segmentDuration.toMillis(), 3)
        .stripTrailingZeros());
    m.put("dvrSeconds", BigDecimal.valueOf(dvr.toSeconds()));
    m.put("record", record.jsonName());
    m.put("takeover", takeover);
    m.put("state", state.jsonName());
    m.put("since", since.toString());
    if (srtPort > 0) {
      m.put("srtPort", BigDecimal.valueOf(srtPort));
    }
    m.put("partSeconds", BigDecimal.valueOf(partTarget.toMillis(), 3).stripTrailingZeros());
    if (format != Format.TS) {
      m.put("format", format.jsonName());
    }
    return m;
  }

  static LiveSettings fromJsonMap(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("a live channel needs \"live\": an object with its"
          + " profile, segmentSeconds, dvrSeconds, record and state");
    }
    LiveSettings d = of(string(m, "profile", "abr"));
    try {
      return new LiveSettings(d.profile(),
          Duration.ofMillis(number(m, "segmentSeconds", 2).movePointRight(3).longValue()),
          Duration.ofSeconds(number(m, "dvrSeconds", DEFAULT_DVR.toSeconds()).longValue()),
          Record.parse(string(m, "record", "off")),
          Boolean.TRUE.equals(m.get("takeover")),
          State.parse(string(m, "state", "waiting")),
          Instant.parse(string(m, "since", d.since().toString())),
          number(m, "srtPort", 0).intValue(),
          m.containsKey("partSeconds")
              ? Duration.ofMillis(number(m, "partSeconds", 0).movePointRight(3).longValue())
              : DEFAULT_PART,
          Format.parse(string(m, "format", "ts")));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("live.since must be an ISO 8601 instant", e);
    }
  }

  private static String string(Map<?, ?> m, String name, String absent) {
    Object v = m.get(name);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("live." + name + " must be a string");
    }
    return s;
  }

  private static BigDecimal number(Map<?, ?> m, String name, long absent) {
    Object v = m.get(name);
    if (v == null) {
      return BigDecimal.valueOf(absent);
    }
    if (!(v instanceof BigDecimal b)) {
      throw new IllegalArgumentException("live." + name + " must be a number");
    }
    return b;
  }
}
