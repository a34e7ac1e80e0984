package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.linear.LinearChannels;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.store.MediaStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /linear} (create) and {@code PUT /linear/{id}} (create or replace) below the API's
 * mount point: a linear channel's JSON ({@code id}, {@code title}, {@code visibility}, {@code
 * kind}, {@code schedule}) in, 201 or 200 with the channel out; for whoever may upload. Errors
 * name the field ({@code schedule.items[2].channel}). Deleting is {@code DELETE /channels/{id}},
 * as for any channel.
 */
final class LinearApi {
  private static final Logger LOG = LoggerFactory.getLogger(LinearApi.class);
  /** 10,000 items of long ids fit in well under this. */
  private static final int MAX_BODY = 1024 * 1024;

  private final MediaStore store;
  private final ChannelCatalog catalog;
  private final AccessPolicy access;
  private final Function<ChannelMetadata, Map<String, Object>> view;

  /**
   * @param view a channel as the API shows it
   */
  LinearApi(MediaStore store, AccessPolicy access,
      Function<ChannelMetadata, Map<String, Object>> view) {
    this.store = store;
    this.catalog = store.channels();
    this.access = access;
    this.view = view;
  }

  void route(RoutingHandler r, Function<ChatModeration.Blocking, HttpHandler> blocking) {
    r.post("/linear", blocking.apply(exchange -> publish(exchange, null)));
    r.put("/linear/{id}", blocking.apply(exchange ->
        publish(exchange, ApiHandler.pathParam(exchange, "id"))));
  }

  /** Creates ({@code pathId} null) or creates or replaces linear channel {@code pathId}. */
  private void publish(HttpServerExchange exchange, String pathId) throws IOException {
    if (Responses.refused(exchange, access.mayUpload(ExchangeAccess.of(exchange)))) {
      return;
    }
    Optional<Map<?, ?>> read = body(exchange);
    if (read.isEmpty()) {
      return;
    }
    Map<?, ?> body = read.get();
    Object bodyId = body.get("id");
    if (pathId == null && !(bodyId instanceof String)) {
      badRequest(exchange, "id: a linear channel needs an id (1-64 of a-z, 0-9, _ and -)");
      return;
    }
    if (pathId != null && bodyId != null && !pathId.equals(bodyId)) {
      badRequest(exchange, "id: the body names " + bodyId + ", the path " + pathId
          + "; leave it out of the body or make them the same");
      return;
    }
    String id = pathId != null ? pathId : (String) bodyId;
    if (!StorageKeys.isValidChannelId(id)) {
      badRequest(exchange, "id: '" + ApiHandler.abbreviate(id) + "' is not a channel id; use"
          + " 1-64 of a-z, 0-9, _ and -, starting with a letter or digit");
      return;
    }
    Object title = body.get("title");
    if (title != null && (!(title instanceof String) || ((String) title).isBlank())) {
      badRequest(exchange, "title: a non-empty string, or leave it out to use the id");
      return;
    }
    Object kind = body.get("kind");
    if (kind != null && !"linear".equals(kind)) {
      badRequest(exchange, "kind: must be \"linear\" here; channels on demand are uploaded"
          + " with POST /api/channels");
      return;
    }
    Visibility visibility;
    Schedule schedule;
    try {
      visibility = body.get("visibility") == null ? Visibility.PUBLIC
          : Visibility.parse(String.valueOf(body.get("visibility")));
    } catch (IllegalArgumentException e) {
      badRequest(exchange, "visibility: " + e.getMessage());
      return;
    }
    if (!(body.get("schedule") instanceof Map)) {
      badRequest(exchange, "schedule: an object with items (a list of {\"channel\": id}),"
          + " and optionally start (ISO 8601; default now) and loop (default true)");
      return;
    }
    try {
      schedule = Schedule.fromJsonMap(body.get("schedule"),
          Instant.now().truncatedTo(ChronoUnit.SECONDS)); // a start a person can read
    } catch (IllegalArgumentException e) {
      badRequest(exchange, "schedule." + e.getMessage());
      return;
    }
    Optional<ChannelMetadata> existing = catalog.get(id);
    if (existing.isPresent() && (pathId == null || !existing.get().isLinear())) {
      Responses.error(exchange, 409, "conflict", "channel " + id + " exists already"
          + (existing.get().isLinear() ? "; change it with PUT /api/linear/" + id
              : " and is on demand; choose another id"));
      return;
    }
    ChannelMetadata published;
    try {
      published = LinearChannels.publish(store, id, title == null ? id : (String) title,
          visibility, schedule);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      badRequest(exchange, m.startsWith("items[") ? "schedule." + m : m);
      return;
    } catch (HlsException e) {
      LOG.warn("publishing linear channel {} failed: {}", id, e.getMessage());
      Responses.error(exchange, 503, "storage_unavailable", "the media store could not be"
          + " written; try again shortly");
      return;
    }
    exchange.getResponseHeaders().put(Headers.LOCATION, "/api/channels/" + id);
    Responses.json(exchange, existing.isPresent() ? 200 : 201, view.apply(published));
  }

  private static Optional<Map<?, ?>> body(HttpServerExchange exchange) throws IOException {
    return JsonBodies.read(exchange, MAX_BODY, "a linear channel's JSON",
        "{\"id\":\"news\",\"title\":"
          + "\"News\",\"schedule\":{\"items\":[{\"channel\":\"a\"},{\"channel\":\"b\"}]}}");
  }

  private static void badRequest(HttpServerExchange exchange, String message) {
    Responses.error(exchange, 400, "bad_request", message);
  }
}
