package io.hlskit.server;

import io.hlskit.core.access.AccessRequest;
import java.util.Map;
import java.util.Optional;

/** Access requests made by hand, for policies checked without a server. */
final class Requests {
  private Requests() {}

  /** A request for {@code path} with these headers and query parameters. */
  static AccessRequest of(String path, Map<String, String> headers, Map<String, String> query) {
    return new AccessRequest() {
      @Override
      public Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
            .map(Map.Entry::getValue).findFirst();
      }

      @Override
      public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public String remoteAddress() {
        return "127.0.0.1";
      }
    };
  }

  /** A request for {@code path} with {@code Authorization: Bearer <token>}. */
  static AccessRequest bearer(String path, String token) {
    return of(path, Map.of("Authorization", "Bearer " + token), Map.of());
  }

  /** A request for {@code path} with nothing to say who sent it. */
  static AccessRequest anonymous(String path) {
    return of(path, Map.of(), Map.of());
  }
}
