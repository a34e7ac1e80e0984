package io.hlskit.server.internal;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.StorageException;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.StorageKeys;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API: {@code /health}, {@code /channels} (list, upload), {@code /channels/{id}} (read,
 * delete) and {@code /jobs/{id}}.
 */
public final class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final ChannelCatalog catalog;
  private final ChatBroker chat;
  private final String streamsPrefix;
  private final MediaStore store;
  private static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
  private Probe lastProbe;
  private final IngestService ingest;
  private final UploadHandler uploads;

  /**
   * @param streamsPrefix where streams are served, such as {@code /streams}, for the URL paths in
   *     channel objects
   * @param store the store channels are deleted from; null to refuse deletes
   * @param ingest where uploads go; null when this server takes none
   * @param uploads the upload handler holding the token and limits; null to refuse uploads
   */
  public ApiHandler(ChannelCatalog catalog, ChatBroker chat, String streamsPrefix,
      MediaStore store, IngestService ingest, UploadHandler uploads) {
    this.catalog = catalog;
    this.chat = chat;
    this.streamsPrefix = streamsPrefix;
    this.store = store;
    this.ingest = ingest;
    this.uploads = uploads;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    HttpString method = exchange.getRequestMethod();
    if (method.equals(Methods.POST) && (path.equals("/channels") || path.equals("/channels/"))) {
      exchange.dispatch(() -> run(exchange, () -> {
        if (uploads == null) {
          Responses.error(exchange, 403, "uploads_disabled", "this server takes no uploads");
        } else {
          uploads.upload(exchange);
        }
      }));
      return;
    }
    if (method.equals(Methods.DELETE) && path.startsWith("/channels/")) {
      exchange.dispatch(() -> run(exchange, () -> delete(exchange,
          path.substring("/channels/".length()))));
      return;
    }
    if (!method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, path.startsWith("/channels")
          ? "GET, HEAD, POST, DELETE" : "GET, HEAD");
      Responses.error(exchange, 405, "method_not_allowed",
          method + " is not supported on /api" + abbreviate(path));
      return;
    }
    if (path.startsWith("/jobs/")) {
      String id = path.substring("/jobs/".length());
      Optional<IngestJob> job = ingest == null ? Optional.empty() : ingest.job(id);
      if (job.isEmpty()) {
        Responses.error(exchange, 404, "not_found", "no job " + abbreviate(id));
      } else {
        Responses.json(exchange, 200, job(job.get()));
      }
      return;
    }
    if (path.equals("/health")) {
      exchange.dispatch(() -> run(exchange, () -> health(exchange))); // the probe may block
    } else if (path.equals("/channels") || path.equals("/channels/")) {
      List<Object> list = new ArrayList<>();
      for (ChannelMetadata m : catalog.channels()) {
        list.add(channel(m));
      }
      Responses.json(exchange, 200, list);
    } else if (path.startsWith("/channels/")) {
      String id = path.substring("/channels/".length());
      Optional<ChannelMetadata> m = StorageKeys.isValidChannelId(id) ? catalog.channel(id)
          : Optional.empty();
      if (m.isEmpty()) {
        Responses.error(exchange, 404, "not_found", "no channel " + abbreviate(id));
      } else {
        Responses.json(exchange, 200, channel(m.get()));
      }
    } else {
      Responses.error(exchange, 404, "not_found", "no API at /api" + abbreviate(path));
    }
  }

  private interface Blocking {
    void run() throws IOException;
  }

  private static void run(HttpServerExchange exchange, Blocking work) {
    try {
      work.run();
    } catch (IOException | RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
      Responses.error(exchange, 500, "internal_error", "the server failed; see its log");
    }
  }

  private void delete(HttpServerExchange exchange, String id) {
    if (uploads == null || store == null) {
      Responses.error(exchange, 403, "deletes_disabled", "this server takes no deletes");
      return;
    }
    if (!uploads.authorized(exchange)) {
      return;
    }
    if (!StorageKeys.isValidChannelId(id) || catalog.channel(id).isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no channel " + abbreviate(id));
      return;
    }
    store.deleteChannel(id);
    catalog.refresh();
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
    j.put("created", job.created().toString());
    j.put("updated", job.updated().toString());
    return j;
  }

  private void health(HttpServerExchange exchange) {
    if (exchange.getQueryParameters().containsKey("live")) {
      // liveness: the process answers; a backend being down is no reason to restart it
      Responses.json(exchange, 200, Map.of("status", "UP"));
      return;
    }
    boolean chatUp = chat.isAvailable();
    String storageProblem = storageProblem();
    boolean up = chatUp && storageProblem == null;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("storage", storageProblem == null ? "UP" : "DOWN");
    if (storageProblem != null) {
      body.put("storageError", storageProblem);
    }
    body.put("chat", chatUp ? "UP" : "DOWN");
    body.put("channels", catalog.channels().size());
    Responses.json(exchange, up ? 200 : 503, body);
  }

  /** What is wrong with the store, null when it answers; probed at most once a second. */
  private String storageProblem() {
    if (store == null) {
      return null;
    }
    synchronized (this) {
      long now = System.nanoTime();
      if (lastProbe == null || now - lastProbe.at() > PROBE_INTERVAL_NANOS) {
        String problem = null;
        try {
          store.checkHealth();
        } catch (StorageException e) {
          problem = e.getMessage();
        }
        lastProbe = new Probe(System.nanoTime(), problem);
      }
      return lastProbe.problem();
    }
  }

  /** The last storage probe, so that a load balancer polling health does not load the store. */
  private record Probe(long at, String problem) {}

  /** A channel as the API shows it: URL paths instead of keys. */
  private Map<String, Object> channel(ChannelMetadata m) {
    String base = streamsPrefix + "/" + m.id() + "/";
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", m.id());
    c.put("title", m.title());
    c.put("playlist", base + m.playlist());
    c.put("poster", m.poster().map(p -> base + p).orElse(null));
    c.put("durationSeconds", m.duration().toMillis() / 1000.0);
    List<Object> renditions = new ArrayList<>();
    for (RenditionInfo r : m.renditions()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("name", r.name());
      rm.put("width", r.resolution().map(x -> x.width()).orElse(null));
      rm.put("height", r.resolution().map(x -> x.height()).orElse(null));
      rm.put("bandwidth", r.bandwidth());
      rm.put("codecs", String.join(",", r.codecs()));
      renditions.add(rm);
    }
    c.put("renditions", renditions);
    c.put("created", m.created().toString());
    return c;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
