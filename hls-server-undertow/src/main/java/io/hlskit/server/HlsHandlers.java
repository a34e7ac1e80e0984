package io.hlskit.server;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.internal.ApiHandler;
import io.hlskit.server.internal.ChatEndpoint;
import io.hlskit.server.internal.OriginCheck;
import io.hlskit.server.internal.Responses;
import io.hlskit.server.internal.StreamsHandler;
import io.hlskit.server.internal.TrustedProxies;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The server's handlers as plain Undertow {@link HttpHandler}s, for applications that already run
 * Undertow and want to mount hlskit under their own paths:
 *
 * <pre>{@code
 * PathHandler routes = Handlers.path()
 *     .addPrefixPath("/streams", HlsHandlers.streams(store))
 *     .addPrefixPath("/api", HlsHandlers.api(store).chat(broker).build())
 *     .addExactPath("/ws/chat", HlsHandlers.chat(broker, store, AccessPolicy.readOnly(),
 *         List.of()));
 * }</pre>
 *
 * <p>Each handler reads the path below its prefix ({@code exchange.getRelativePath()}). The
 * handlers are thread-safe; they hold caches but no state a request could corrupt.
 */
public final class HlsHandlers {
  private HlsHandlers() {}

  /**
   * Objects of the store's listed channels, open to everyone: {@code /{channel}/{file}} below
   * the mount point, with media types, ETags, conditional and Range requests; local files go out
   * with {@code sendfile}. Linear channels' playlists are computed from the clock ({@link
   * io.hlskit.core.linear.LinearPlaylists}, listening to the store's catalog while it lives).
   */
  public static HttpHandler streams(MediaStore store) {
    return streams(store, AccessPolicy.readOnly());
  }

  /** As {@link #streams(MediaStore)}, with {@code access} deciding who may watch a channel. */
  public static HttpHandler streams(MediaStore store, AccessPolicy access) {
    return new StreamsHandler(Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(access, "access"));
  }

  /**
   * The REST API over {@code store}: {@code /health}, {@code /channels}, {@code /channels/{id}},
   * {@code /linear} and {@code /jobs/{id}} below the mount point; uploads, linear channels and
   * deletes as the builder's access policy allows.
   */
  public static ApiBuilder api(MediaStore store) {
    return new ApiBuilder(Objects.requireNonNull(store, "store"));
  }

  /**
   * The chat WebSocket: mount it at {@code /ws/chat}; clients connect with {@code
   * ?channel={id}} of a channel {@code store} lists. The upgrade is inside.
   *
   * @param access who may chat, and under which name
   * @param allowedOrigins the page origins (such as {@code https://tv.example.com}) allowed to
   *     open it; empty allows only pages served by this server itself
   */
  public static HttpHandler chat(ChatBroker broker, MediaStore store, AccessPolicy access,
      List<String> allowedOrigins) {
    return chat(broker, store, access, allowedOrigins, ChatLimits.DEFAULTS);
  }

  /**
   * The chat WebSocket with limits of your own.
   *
   * @param limits what one client, address and room may do
   * @see #chat(ChatBroker, MediaStore, AccessPolicy, List)
   */
  public static HttpHandler chat(ChatBroker broker, MediaStore store, AccessPolicy access,
      List<String> allowedOrigins, ChatLimits limits) {
    return new OriginCheck(allowedOrigins, Handlers.websocket(new ChatEndpoint(
        Objects.requireNonNull(broker, "broker"), store.channels(),
        Objects.requireNonNull(access, "access"), Objects.requireNonNull(limits, "limits"))));
  }

  /**
   * Takes the client's address from {@code X-Forwarded-For} when the request comes from one of
   * {@code proxies} (IP literals), and only then; wrap your routes in it when a reverse proxy
   * stands in front and you mount the handlers yourself.
   */
  public static HttpHandler trustedProxies(Set<String> proxies, HttpHandler next) {
    return new TrustedProxies(proxies, next);
  }

  /**
   * Answers {@code {"error": code, "message": message}} with {@code status}, in the shape of
   * every hlskit error, so that handlers of your own answer like the server's.
   */
  public static void sendError(HttpServerExchange exchange, int status, String code,
      String message) {
    Responses.error(exchange, status, code, message);
  }

  /**
   * Whether the request's {@code If-None-Match} names {@code etag} (quoted, as sent in {@code
   * ETag}) or {@code *}, weak tags compared by value: then a 304 is the answer.
   */
  public static boolean ifNoneMatch(HttpServerExchange exchange, String etag) {
    return Responses.matchesIfNoneMatch(exchange, etag);
  }

  /** Settings of the REST API handler; not thread-safe. */
  public static final class ApiBuilder {
    private final MediaStore store;
    private ChatBroker chat;
    private String streamsPath = "/streams";
    private IngestService ingest;
    private AccessPolicy access = AccessPolicy.readOnly();
    private long maxUploadBytes = 2L * 1024 * 1024 * 1024;
    private Path uploadDirectory =
        Path.of(System.getProperty("java.io.tmpdir"), "hlskit-uploads");

    private ApiBuilder(MediaStore store) {
      this.store = store;
    }

    /** The chat, whose state {@code /health} reports; none by default. */
    public ApiBuilder chat(ChatBroker chat) {
      this.chat = Objects.requireNonNull(chat, "chat");
      return this;
    }

    /**
     * Where {@link HlsHandlers#streams} is mounted, for the playlist and poster paths in channel
     * objects; {@code /streams} by default.
     */
    public ApiBuilder streamsPath(String streamsPath) {
      this.streamsPath = Objects.requireNonNull(streamsPath, "streamsPath");
      return this;
    }

    /** Where uploads go to be transcoded; without one, uploads answer 503. */
    public ApiBuilder ingest(IngestService ingest) {
      this.ingest = Objects.requireNonNull(ingest, "ingest");
      return this;
    }

    /** Who may upload, delete and see channels; {@link AccessPolicy#readOnly()} by default. */
    public ApiBuilder access(AccessPolicy access) {
      this.access = Objects.requireNonNull(access, "access");
      return this;
    }

    /** The largest upload taken, 2 GiB by default; larger ones get 413. */
    public ApiBuilder maxUploadBytes(long maxUploadBytes) {
      if (maxUploadBytes < 1) {
        throw new IllegalArgumentException("maxUploadBytes must be positive: " + maxUploadBytes);
      }
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /**
     * Where uploads are streamed before the ingest service takes them; {@code
     * <java.io.tmpdir>/hlskit-uploads} by default.
     */
    public ApiBuilder uploadDirectory(Path uploadDirectory) {
      this.uploadDirectory = Objects.requireNonNull(uploadDirectory, "uploadDirectory");
      return this;
    }

    /** The handler. */
    public HttpHandler build() {
      return new ApiHandler(new ApiHandler.Settings(store, chat, streamsPath, ingest, access,
          maxUploadBytes, uploadDirectory));
    }
  }
}
