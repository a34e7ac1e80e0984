package io.hlskit.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests to a server on loopback, as the tests send them. */
final class LocalHttp {
  private LocalHttp() {}

  /** {@code GET path} from {@code server} with the given header names and values, in pairs. */
  static HttpResponse<byte[]> get(HttpClient http, HlsServer server, String path,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
