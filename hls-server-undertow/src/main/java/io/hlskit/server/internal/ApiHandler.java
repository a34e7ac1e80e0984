package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.live.LiveMonitor;
import io.hlskit.core.linear.LinearPlaylists;
import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.store.MediaStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API below its mount point: {@code /health} (with {@code /health/live} and {@code
 * /health/ready} for orchestrators), {@code /channels} (list, upload), {@code
 * /channels/{id}} (read, delete), {@code /channels/{id}/chat/...} (moderation, {@link
 * ChatModeration}), {@code /linear} and {@code /linear/{id}} ({@link LinearApi}), {@code
 * /jobs/{id}} and {@code /keys/{channel}/{key}} ({@link KeysHandler}),
 * routed by Undertow's {@link RoutingHandler}.
 * Storage, uploads and the chat broker block, so those routes leave the I/O thread.
 */
public final class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

  /**
   * What the API serves.
   *
   * @param streamsPath where streams are served, such as {@code /streams}, for the URL paths in
   *     channel objects
   * @param chat the chat, for health; null when there is none
   * @param ingest where uploads go; null when this server takes none (503)
   * @param uploadDirectory where uploads are spooled before the ingest service takes them
   * @param audience who watches and chats in which channel, for the channel objects; null
   *     without metrics
   * @param linear what linear channels play now and next; null to make one over the store
   * @param live what this instance's live ingest knows; null for none
   */
  public record Settings(MediaStore store, ChatBroker chat, String streamsPath,
      IngestService ingest, AccessPolicy access, long maxUploadBytes, Path uploadDirectory,
      Audience audience, LinearPlaylists linear, LiveMonitor live) {

    /** Settings without a live ingest. */
    public Settings(MediaStore store, ChatBroker chat, String streamsPath, IngestService ingest,
        AccessPolicy access, long maxUploadBytes, Path uploadDirectory, Audience audience,
        LinearPlaylists linear) {
      this(store, chat, streamsPath, ingest, access, maxUploadBytes, uploadDirectory, audience,
          linear, null);
    }

    /** Settings without viewer counts. */
    public Settings(MediaStore store, ChatBroker chat, String streamsPath, IngestService ingest,
        AccessPolicy access, long maxUploadBytes, Path uploadDirectory) {
      this(store, chat, streamsPath, ingest, access, maxUploadBytes, uploadDirectory, null,
          null);
    }
  }

  private final MediaStore store;
  private final ChannelCatalog catalog;
  private final ChatBroker chat;
  private final String streamsPrefix;
  private final IngestService ingest;
  private final AccessPolicy access;
  private final UploadHandler uploads;
  private final Audience audience;
  private final LinearPlaylists linear;
  private final LiveMonitor liveMonitor;
  private final HttpHandler routes;
  private Probe lastProbe;

  public ApiHandler(Settings s) {
    this.store = s.store();
    this.catalog = s.store().channels();
    this.chat = s.chat();
    this.streamsPrefix = s.streamsPath();
    this.ingest = s.ingest();
    this.access = s.access();
    this.audience = s.audience();
    this.linear = s.linear() != null ? s.linear() : LinearPlaylists.of(s.store());
    this.liveMonitor = s.live() != null ? s.live() : LiveMonitor.NONE;
    this.uploads = new UploadHandler(s.ingest(), catalog, s.access(), s.maxUploadBytes(),
        s.uploadDirectory());
    RoutingHandler r = new RoutingHandler(false);
    getAndHead(r, "/health", blocking(this::health)); // the storage probe may block
    getAndHead(r, "/health/live", ApiHandler::live);
    getAndHead(r, "/health/ready", blocking(this::health));
    // what a linear channel plays is laid out from the store the first time it is asked
    getAndHead(r, "/channels", blocking(this::list));
    getAndHead(r, "/channels/{id}", blocking(this::one));
    getAndHead(r, "/jobs/{id}", blocking(this::job)); // a shared queue is a round trip away
    r.delete("/jobs/{id}", blocking(this::cancelJob));
    KeysHandler keys = new KeysHandler(s.store(), s.access());
    getAndHead(r, "/keys/{channel}/{key}", blocking(exchange -> keys.key(exchange,
        pathParam(exchange, "channel"), pathParam(exchange, "key"))));
    r.post("/channels", blocking(uploads::upload));
    r.delete("/channels/{id}", blocking(this::delete));
    new ChatModeration(catalog, chat, access).route(r, ApiHandler::blocking);
    new LinearApi(s.store(), s.access(), this::channel).route(r, ApiHandler::blocking);
    new LiveApi(s.store(), s.access(), liveMonitor, this::channel)
        .route(r, ApiHandler::blocking);
    r.setInvalidMethodHandler(ApiHandler::methodNotAllowed);
    r.setFallbackHandler(exchange -> Responses.error(exchange, 404, "not_found",
        "no API at /api" + abbreviate(exchange.getRelativePath())));
    this.routes = r;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    routes.handleRequest(exchange);
  }

  private static void getAndHead(RoutingHandler r, String template, HttpHandler h) {
    r.get(template, h).add(Methods.HEAD, template, h);
  }

  private static void methodNotAllowed(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    exchange.getResponseHeaders().put(Headers.ALLOW, path.startsWith("/channels")
        ? "GET, HEAD, POST, DELETE" : path.startsWith("/jobs/") ? "GET, HEAD, DELETE"
        : path.equals("/linear") || path.equals("/live") || path.endsWith("/key") ? "POST"
        : path.startsWith("/live/") ? "GET"
        : path.startsWith("/linear/") ? "PUT" : "GET, HEAD");
    Responses.error(exchange, 405, "method_not_allowed",
        exchange.getRequestMethod() + " is not supported on /api" + abbreviate(path));
  }

  /** A parameter of the route's template, such as {@code id} of {@code /channels/{id}}. */
  static String pathParam(HttpServerExchange exchange, String name) {
    PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
    return match == null ? "" : match.getParameters().getOrDefault(name, "");
  }

  private void list(HttpServerExchange exchange) {
    AccessRequest request = ExchangeAccess.of(exchange);
    List<Object> list = new ArrayList<>();
    for (ChannelMetadata m : catalog.list()) {
      if (access.mayWatch(request, m).allowed()) {
        list.add(channel(m));
      }
    }
    Responses.json(exchange, 200, list);
  }

  private void one(HttpServerExchange exchange) {
    String id = pathParam(exchange, "id");
    Optional<ChannelMetadata> m = StorageKeys.isValidChannelId(id) ? catalog.get(id)
        : Optional.empty();
    if (m.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no channel " + abbreviate(id));
    } else if (!Responses.refused(exchange, access.mayWatch(ExchangeAccess.of(exchange),
        m.get()))) {
      Responses.json(exchange, 200, channel(m.get()));
    }
  }

  private void job(HttpServerExchange exchange) {
    String id = pathParam(exchange, "id");
    answerJob(exchange, id, () -> ingest == null ? Optional.empty() : ingest.job(id));
  }

  /**
   * {@code DELETE /api/jobs/{id}}: asks the job to stop (who may upload may cancel); answers the
   * job as it is then: cancelled, or still running for the moment it takes to stop.
   */
  private void cancelJob(HttpServerExchange exchange) {
    if (Responses.refused(exchange, access.mayUpload(ExchangeAccess.of(exchange)))) {
      return;
    }
    String id = pathParam(exchange, "id");
    answerJob(exchange, id, () -> ingest == null ? Optional.empty() : ingest.cancel(id));
  }

  private static void answerJob(HttpServerExchange exchange, String id,
      java.util.function.Supplier<Optional<IngestJob>> lookup) {
    Optional<IngestJob> job;
    try {
      job = lookup.get();
    } catch (UnsupportedOperationException e) {
      Responses.error(exchange, 501, "not_implemented", "this server's ingest service cannot"
          + " cancel jobs");
      return;
    } catch (HlsException e) {
      LOG.warn("the ingest service did not answer for job {}: {}", abbreviate(id),
          e.getMessage());
      Responses.error(exchange, 503, "jobs_unavailable", "the job queue cannot be reached"
          + " right now; try again in a moment");
      return;
    }
    if (job.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no job " + abbreviate(id));
    } else {
      Responses.json(exchange, 200, job(job.get()));
    }
  }

  /** Runs {@code work} on a worker thread, where it may block. */
  private static HttpHandler blocking(ChatModeration.Blocking work) {
    return exchange -> exchange.dispatch(() -> {
      try {
        work.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
        Responses.error(exchange, 500, "internal_error", "the server failed; see its log");
      }
    });
  }

  private void delete(HttpServerExchange exchange) {
    String id = pathParam(exchange, "id");
    if (Responses.refused(exchange, access.mayDelete(ExchangeAccess.of(exchange), id))) {
      return;
    }
    if (!StorageKeys.isValidChannelId(id) || catalog.get(id).isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no channel " + abbreviate(id));
      return;
    }
    store.deleteChannel(id);
    exchange.setStatusCode(204);
    exchange.endExchange();
  }

  /** A job as the API shows it. */
  static Map<String, Object> job(IngestJob job) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", job.id());
    j.put("channel", job.channelId());
    j.put("state", job.state().apiName());
    j.put("progress", job.progress());
    job.error().ifPresent(e -> j.put("error", e));
    job.worker().ifPresent(w -> j.put("worker", w));
    if (job.attempts() > 0) {
      j.put("attempts", job.attempts());
    }
    j.put("created", job.created().toString());
    j.put("updated", job.updated().toString());
    return j;
  }

  /** Liveness: the process answers; a backend being down is no reason to restart it. */
  private static void live(HttpServerExchange exchange) {
    Responses.json(exchange, 200, Map.of("status", "UP"));
  }

  /** Readiness (also {@code /health}): storage and chat reachable, else 503 with which. */
  private void health(HttpServerExchange exchange) {
    if (exchange.getQueryParameters().containsKey("live")) {
      live(exchange);
      return;
    }
    boolean chatUp = chat == null || chat.isAvailable();
    boolean jobsUp = ingest == null || ingest.isAvailable();
    String storageProblem = storageProblem();
    boolean up = chatUp && jobsUp && storageProblem == null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("storage", storageProblem == null ? "UP" : "DOWN");
    if (storageProblem != null && access.mayUpload(ExchangeAccess.of(exchange)).allowed()) {
      // the cause names hosts, buckets and paths: for the operator, not for anyone who asks
      body.put("storageError", storageProblem);
    }
    if (chat != null) {
      body.put("chat", chatUp ? "UP" : "DOWN");
    }
    if (ingest != null) {
      body.put("jobs", jobsUp ? "UP" : "DOWN");
    }
    if (liveMonitor.listeningRtmpPort().isPresent()) {
      // a broadcast behind real time: said here, but the instance still serves (not DOWN)
      body.put("live", liveMonitor.keepingUp() ? "UP" : "BEHIND");
    }
    body.put("channels", catalog.list().size());
    Responses.json(exchange, up ? 200 : 503, body);
  }

  /** What is wrong with the store, null when it answers; probed at most once a second. */
  private String storageProblem() {
    synchronized (this) {
      long now = System.nanoTime();
      if (lastProbe == null || now - lastProbe.at() > PROBE_INTERVAL_NANOS) {
        String problem = null;
        try {
          store.checkHealth();
        } catch (StorageException e) {
          problem = e.getMessage();
          if (lastProbe == null || !problem.equals(lastProbe.problem())) {
            LOG.warn("health: the store does not answer: {}", problem);
          }
        }
        lastProbe = new Probe(System.nanoTime(), problem);
      }
      return lastProbe.problem();
    }
  }

  /** The last storage probe, so that a load balancer polling health does not load the store. */
  private record Probe(long at, String problem) {}

  /**
   * A channel as the API shows it: its {@code channel.json}, names and types alike, with URL
   * paths instead of keys for the playlists, the poster and the thumbnails track ({@code null}
   * when it has none).
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> channel(ChannelMetadata m) {
    String base = streamsPrefix + "/" + m.id() + "/";
    Map<String, Object> c = m.toJsonMap();
    c.put("playlist", base + m.playlist());
    c.put("poster", m.poster().map(p -> base + p).orElse(null));
    c.put("thumbnails", m.thumbnails().map(t -> base + t).orElse(null));
    if (audience != null) {
      // as this instance sees them: each instance counts its own players and chat sessions
      c.put("viewers", audience.viewers().count(m.id()));
      c.put("chatSessions", audience.chat().sessions(m.id()));
    }
    for (Object r : (List<Object>) c.get("renditions")) {
      Map<String, Object> rendition = (Map<String, Object>) r;
      rendition.put("playlist", base + rendition.get("playlist"));
    }
    Object settings = c.remove("live");
    c.put("live", m.isLinear() || m.isLive());
    m.live().ifPresent(l -> {
      // the broadcast: waiting for a publisher, live (or within a dropped one's grace), ended
      c.put("liveSettings", settings);
      c.put("state", l.state().jsonName());
      c.put("since", l.since().toString());
    });
    if (m.isLinear()) {
      Instant now = Instant.now();
      try {
        c.put("nowPlaying", airing(linear.onAir(m, now)));
        c.put("next", airing(linear.next(m, now)));
      } catch (StorageException e) {
        LOG.warn("what linear channel {} plays is unknown: {}", m.id(), e.getMessage());
        c.put("nowPlaying", null);
        c.put("next", null);
      }
    }
    return c;
  }

  /** An item on air as the API shows it: channel, title, start and end; null for none. */
  private Map<String, Object> airing(Optional<LinearTimeline.Airing> airing) {
    if (airing.isEmpty()) {
      return null;
    }
    LinearTimeline.Airing a = airing.get();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", a.channel());
    m.put("title", catalog.get(a.channel()).map(ChannelMetadata::title).orElse(a.channel()));
    m.put("start", a.start().toString());
    m.put("end", a.end().toString());
    return m;
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
