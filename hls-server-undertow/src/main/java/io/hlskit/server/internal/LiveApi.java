package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LiveMonitor;
import io.hlskit.core.live.LiveStats;
import io.hlskit.core.store.MediaStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live channels below the API's mount point, for whoever may go live ({@link
 * AccessPolicy#mayGoLive}): {@code POST /live} creates one or changes it ({@code id}, {@code
 * title}, {@code visibility}, {@code profile} or {@code ladder}, {@code segmentSeconds}, {@code
 * dvr}, {@code record}, {@code takeover}, {@code srtPort}, {@code lowLatency}, {@code
 * partSeconds}, {@code format}: {@code ts} or {@code fmp4}) and answers where to publish (RTMP,
 * and SRT with the key's secret as passphrase when the channel has a port) and the stream key;
 * {@code GET /live/{id}} its state, and how the broadcast goes when this instance takes it;
 * {@code POST /live/{id}/key} a new key. Deleting is {@code DELETE /channels/{id}}.
 */
final class LiveApi {
  private static final Logger LOG = LoggerFactory.getLogger(LiveApi.class);
  private static final int MAX_BODY = 16 * 1024;

  private final MediaStore store;
  private final AccessPolicy access;
  private final LiveMonitor monitor;
  private final Function<ChannelMetadata, Map<String, Object>> view;

  LiveApi(MediaStore store, AccessPolicy access, LiveMonitor monitor,
      Function<ChannelMetadata, Map<String, Object>> view) {
    this.store = store;
    this.access = access;
    this.monitor = monitor;
    this.view = view;
  }

  void route(RoutingHandler r, Function<ChatModeration.Blocking, HttpHandler> blocking) {
    r.post("/live", blocking.apply(this::createOrUpdate));
    r.get("/live/{id}", blocking.apply(this::state));
    r.post("/live/{id}/key", blocking.apply(this::newKey));
  }

  private void createOrUpdate(HttpServerExchange exchange) throws IOException {
    if (Responses.refused(exchange, access.mayGoLive(ExchangeAccess.of(exchange)))) {
      return;
    }
    Optional<Map<?, ?>> read = body(exchange);
    if (read.isEmpty()) {
      return;
    }
    Map<?, ?> body = read.get();
    if (!(body.get("id") instanceof String id) || !StorageKeys.isValidChannelId(id)) {
      badRequest(exchange, "id: a live channel needs an id of 1-64 of a-z, 0-9, _ and -");
      return;
    }
    Optional<ChannelMetadata> existing = store.channelMetadata(id);
    if (existing.isPresent() && !existing.get().isLive()) {
      Responses.error(exchange, 409, "conflict", "channel " + id + " exists and is not live;"
          + " choose another id or delete it first");
      return;
    }
    LiveSettings s = existing.flatMap(ChannelMetadata::live)
        .orElse(LiveSettings.of(DEFAULT_LADDER));
    String title;
    Visibility visibility;
    try {
      Object profile = body.get("profile") != null ? body.get("profile") : body.get("ladder");
      if (profile != null) {
        String given = string(profile, "profile");
        try {
          monitor.checkProfile(given);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("profile: " + e.getMessage(), e);
        }
        s = s.withProfile(given);
      }
      if (body.get("segmentSeconds") != null) {
        s = s.withSegmentDuration(duration(body.get("segmentSeconds"), "segmentSeconds"));
      }
      if (body.get("dvr") != null) {
        s = s.withDvr(duration(body.get("dvr"), "dvr"));
      }
      if (body.get("record") != null) {
        s = s.withRecord(LiveSettings.Record.parse(string(body.get("record"), "record")));
      }
      if (body.get("srtPort") != null) {
        if (!(body.get("srtPort") instanceof Number n) || n.doubleValue() != n.intValue()) {
          throw new IllegalArgumentException("srtPort: a UDP port number, 1 to 65535, or 0 for"
              + " no SRT");
        }
        s = s.withSrtPort(n.intValue());
      }
      if (body.get("partSeconds") != null) {
        s = s.withPartTarget(duration(body.get("partSeconds"), "partSeconds"));
      }
      if (body.get("format") != null) {
        s = s.withFormat(LiveSettings.Format.parse(string(body.get("format"), "format")));
      }
      if (body.get("lowLatency") != null) {
        if (!(body.get("lowLatency") instanceof Boolean b)) {
          throw new IllegalArgumentException("lowLatency: true or false");
        }
        s = s.withLowLatency(b);
      }
      if (body.get("takeover") != null) {
        if (!(body.get("takeover") instanceof Boolean b)) {
          throw new IllegalArgumentException("takeover: true or false");
        }
        s = s.withTakeover(b);
      }
      title = body.get("title") == null
          ? existing.map(ChannelMetadata::title).orElse(id) : string(body.get("title"), "title");
      visibility = body.get("visibility") == null
          ? existing.map(ChannelMetadata::visibility).orElse(Visibility.PUBLIC)
          : Visibility.parse(string(body.get("visibility"), "visibility"));
    } catch (IllegalArgumentException e) {
      badRequest(exchange, e.getMessage());
      return;
    }
    LiveChannels.Created created;
    try {
      created = LiveChannels.createOrUpdate(store, id, title, visibility, s);
    } catch (IllegalArgumentException e) {
      badRequest(exchange, e.getMessage());
      return;
    } catch (HlsException e) {
      LOG.warn("creating live channel {} failed: {}", id, e.getMessage());
      Responses.error(exchange, 503, "storage_unavailable", "the media store could not be"
          + " written; try again shortly");
      return;
    }
    exchange.getResponseHeaders().put(Headers.LOCATION, "/api/live/" + id);
    Responses.json(exchange, existing.isPresent() ? 200 : 201,
        answer(exchange, created.channel(), created.streamKey()));
  }

  /** The profile a live channel gets unless told: 720p and 360p, which two cores keep up. */
  static final String DEFAULT_LADDER = "720p:1500k,360p:500k";

  private void state(HttpServerExchange exchange) {
    liveChannel(exchange).ifPresent(m -> Responses.json(exchange, 200, answer(exchange, m,
        LiveChannels.streamKey(store, m.id()).orElse(null))));
  }

  private void newKey(HttpServerExchange exchange) {
    liveChannel(exchange).ifPresent(m -> Responses.json(exchange, 200, answer(exchange, m,
        LiveChannels.newKey(store, m.id()))));
  }

  /** The live channel of the path, for a caller who may go live; empty once refused or 404. */
  private Optional<ChannelMetadata> liveChannel(HttpServerExchange exchange) {
    if (Responses.refused(exchange, access.mayGoLive(ExchangeAccess.of(exchange)))) {
      return Optional.empty();
    }
    String id = ApiHandler.pathParam(exchange, "id");
    Optional<ChannelMetadata> m = StorageKeys.isValidChannelId(id)
        ? store.channelMetadata(id).filter(ChannelMetadata::isLive) : Optional.empty();
    if (m.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no live channel " + ApiHandler.abbreviate(id));
    }
    return m;
  }

  /** The channel as the API shows it, where to publish, its key and how it goes. */
  private Map<String, Object> answer(HttpServerExchange exchange, ChannelMetadata m,
      String streamKey) {
    Map<String, Object> a = new LinkedHashMap<>(view.apply(m));
    String host = exchange.getHostName();
    a.put("rtmp", monitor.listeningRtmpPort().isPresent()
        ? "rtmp://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
            + monitor.listeningRtmpPort().getAsInt() + "/live" : null);
    a.put("streamKey", streamKey);
    // SRT callers give the key's secret as their passphrase
    int srtPort = m.live().map(LiveSettings::srtPort).orElse(0);
    a.put("srt", srtPort > 0 && streamKey != null
        ? "srt://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + srtPort
            + "?passphrase=" + streamKey.substring(streamKey.indexOf("?key=") + 5) : null);
    Optional<LiveStats> stats = monitor.stats(m.id());
    a.put("ingest", stats.map(LiveApi::stats).orElse(null));
    return a;
  }

  private static Map<String, Object> stats(LiveStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("publisher", s.publisher());
    m.put("since", s.since().toString());
    m.put("bitrate", s.ingestBitsPerSecond());
    m.put("frameRate", round(s.frameRate()));
    m.put("speed", round(s.speed()));
    m.put("lagSeconds", round(s.lagSeconds()));
    m.put("framesDropped", s.framesDropped());
    m.put("renditionsShed", s.renditionsShed());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String string(Object v, String field) {
    if (!(v instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(field + ": a non-empty string");
    }
    return s.strip();
  }

  private static java.time.Duration duration(Object v, String field) {
    if (v instanceof Number n) {
      return java.time.Duration.ofMillis(new BigDecimal(n.toString()).movePointRight(3)
          .longValue());
    }
    return LiveSettings.parseDuration(string(v, field), field);
  }

  private static Optional<Map<?, ?>> body(HttpServerExchange exchange) throws IOException {
    return JsonBodies.read(exchange, MAX_BODY, "a live channel's JSON",
        "{\"id\":\"news\",\"title\":"
          + "\"News\",\"profile\":\"720p:1500k,360p:500k\",\"dvr\":\"30m\"}");
  }

  private static void badRequest(HttpServerExchange exchange, String message) {
    Responses.error(exchange, 400, "bad_request", message);
  }
}
