package io.hlskit.core.access;

import java.util.Optional;

/**
 * What an {@link AccessPolicy} may look at in a request: its headers, query parameters, path and
 * the address it came from. A server adapts its own request type to this; the policy never sees
 * the body.
 */
public interface AccessRequest {

  /** The first value of header {@code name} (case-insensitive), when present. */
  Optional<String> header(String name);

  /** The first value of query parameter {@code name}, when present. */
  Optional<String> queryParameter(String name);

  /** The request path, decoded, such as {@code /streams/canal1/playlist.m3u8}. */
  String path();

  /** The address of the peer that sent the request (a proxy's, behind one). */
  String remoteAddress();

  /** The query parameter a token may come in where players cannot set headers. */
  String TOKEN_PARAMETER = "token";

  /**
   * The token of an {@code Authorization: Bearer <token>} header, stripped, when the request has
   * one.
   */
  default Optional<String> bearerToken() {
    return header("Authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip());
  }

  /**
   * The credentials the request carries: its {@linkplain #bearerToken bearer token}, or, on the
   * paths players fetch and where they cannot set headers ({@code /streams/}, {@code
   * /api/keys/}, {@code /ws/}), its {@value #TOKEN_PARAMETER} query parameter.
   */
  default Optional<String> token() {
    Optional<String> bearer = bearerToken().filter(t -> !t.isEmpty());
    if (bearer.isPresent()) {
      return bearer;
    }
    String path = path();
    if (path.startsWith("/streams/") || path.startsWith("/api/keys/") || path.startsWith("/ws/")) {
      return queryParameter(TOKEN_PARAMETER).filter(t -> !t.isEmpty());
    }
    return Optional.empty();
  }
}
