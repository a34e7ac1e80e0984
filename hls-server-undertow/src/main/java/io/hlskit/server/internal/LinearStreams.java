package io.hlskit.server.internal;

import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.linear.LinearPlaylists;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.store.MediaTypes;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The playlists of linear channels, computed from the clock ({@link LinearPlaylists}); their
 * segments are the items' own, served as any channel's. A live playlist may be cached for half
 * a target duration, long enough to spare the origin and short enough for players to see each
 * new segment in time.
 */
final class LinearStreams {
  private final LinearPlaylists playlists;
  private final Clock clock;

  LinearStreams(LinearPlaylists playlists, Clock clock) {
    this.playlists = playlists;
    this.clock = clock;
  }

  /** Answers playlist {@code relative} of linear channel {@code channel}; may block. */
  void serve(HttpServerExchange exchange, ChannelMetadata channel, String relative,
      boolean head) {
    Instant now = clock.instant();
    Schedule schedule = channel.schedule().orElseThrow();
    if (now.isBefore(schedule.start())) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "not_started");
      body.put("message", "linear channel " + channel.id() + " starts at " + schedule.start()
          + "; try again then");
      body.put("starts_at", schedule.start().toString());
      Responses.json(exchange, 404, body);
      return;
    }
    Optional<Playlist> playlist = playlists.playlist(channel, relative, now);
    if (playlist.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "linear channel " + channel.id() + " has no"
          + " playlist " + relative + " (or none of its items can be played now)");
      return;
    }
    String text = PlaylistWriter.write(playlist.get());
    HeaderMap out = exchange.getResponseHeaders();
    if (channel.isPrivate()) {
      // a player given one URL with a token finds the rendition playlists with it too
      Deque<String> tokens = exchange.getQueryParameters().get(AccessRequest.TOKEN_PARAMETER);
      String token = tokens == null ? null : tokens.peekFirst();
      if (token != null && !token.isEmpty()) {
        text = PlaylistTokens.withToken(text, AccessRequest.TOKEN_PARAMETER, token);
      }
    }
    // the multivariant playlist changes with the schedule only: revalidated as any playlist
    String cache = playlist.get() instanceof MediaPlaylist media
        ? "max-age=" + Math.max(1, media.targetDuration() / 2) : MediaTypes.CACHE_REVALIDATE;
    out.put(Headers.CACHE_CONTROL, channel.isPrivate() ? "private, " + cache : cache);
    out.put(Headers.CONTENT_TYPE, MediaTypes.PLAYLIST);
    Responses.bytes(exchange, text.getBytes(StandardCharsets.UTF_8), head);
  }
}
