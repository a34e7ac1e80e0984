package io.hlskit.server;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.internal.ApiHandler;
import io.hlskit.server.internal.ChatEndpoint;
import io.hlskit.server.internal.OriginCheck;
import io.hlskit.server.internal.UploadHandler;
import io.hlskit.core.ingest.IngestService;
import java.nio.file.Path;
import io.undertow.Handlers;
import java.util.List;
import io.hlskit.server.internal.StreamsHandler;
import io.undertow.server.HttpHandler;

/**
 * The server's handlers as plain Undertow {@link HttpHandler}s, for applications that already run
 * Undertow and want to mount hlskit under their own paths:
 *
 * <pre>{@code
 * PathHandler routes = Handlers.path()
 *     .addPrefixPath("/streams", HlsHandlers.streams(store, catalog))
 *     .addPrefixPath("/api", HlsHandlers.api(catalog, broker, "/streams"))
 *     .addExactPath("/ws/chat", HlsHandlers.chat(broker, catalog, List.of()));
 * }</pre>
 *
 * <p>Each handler reads the path below its prefix ({@code exchange.getRelativePath()}). The
 * handlers are thread-safe and hold no state of their own.
 */
public final class HlsHandlers {
  private HlsHandlers() {}

  /**
   * Objects of published channels: {@code /{channel}/{file}} below the mount point, with media
   * types, ETags, conditional and Range requests; local files go out with {@code sendfile}.
   */
  public static HttpHandler streams(MediaStore store, ChannelCatalog catalog) {
    return new StreamsHandler(store, catalog);
  }

  /**
   * {@code /health}, {@code /channels} and {@code /channels/{id}} below the mount point.
   *
   * @param streamsPath where {@link #streams} is mounted, for the playlist and poster paths in
   *     channel objects
   */
  public static HttpHandler api(ChannelCatalog catalog, ChatBroker chat, String streamsPath) {
    return new ApiHandler(catalog, chat, streamsPath, null, null, null);
  }

  /**
   * The API with uploads and deletes: {@code POST /channels} hands videos to {@code ingest},
   * {@code DELETE /channels/{id}} removes from {@code store}, {@code GET /jobs/{id}} reports.
   *
   * @param adminToken the bearer token these need; null turns them off (403)
   * @param maxUploadBytes the largest upload taken (413 above)
   * @param uploadDirectory where uploads are streamed to before the ingest service takes them
   */
  public static HttpHandler api(ChannelCatalog catalog, ChatBroker chat, String streamsPath,
      MediaStore store, IngestService ingest, String adminToken, long maxUploadBytes,
      Path uploadDirectory) {
    return new ApiHandler(catalog, chat, streamsPath, store, ingest,
        new UploadHandler(ingest, catalog, adminToken, maxUploadBytes, uploadDirectory));
  }

  /**
   * The chat WebSocket: mount it at {@code /ws/chat}; clients connect with {@code
   * ?channel={id}} of a published channel. The upgrade is inside.
   *
   * @param allowedOrigins the page origins (such as {@code https://tv.example.com}) allowed to
   *     open it; empty allows only pages served by this server itself
   */
  public static HttpHandler chat(ChatBroker broker, ChannelCatalog catalog,
      List<String> allowedOrigins) {
    return new OriginCheck(allowedOrigins,
        Handlers.websocket(new ChatEndpoint(broker, catalog)));
  }
}
