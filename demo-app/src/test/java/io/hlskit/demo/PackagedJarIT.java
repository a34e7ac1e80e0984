package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a new user runs it: the packaged {@code hlskit-demo.jar}, in a
 * process of its own, on an empty folder. Catches what only the assembled jar can get wrong (a
 * dependency missing from the shaded jar, natives that do not load).
 */
class PackagedJarIT {
  @TempDir
  Path dir;

  @Test
  void aFirstServeMakesSampleChannelsAndServesThem() throws Exception {
    try (DemoProcess demo = DemoProcess.start(dir, Map.of(), "serve", "--port", "0",
        "--host", "127.0.0.1")) {
      String url = demo.baseUrl();

      HttpClient http = HttpClient.newHttpClient();
      JsonNode channels = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(url + "/api/channels")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /api/channels; output:\n" + demo.output())
            .isEqualTo(200);
        channels = new ObjectMapper().readTree(r.body());
        if (channels.size() == 3) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(channels).as("sample channels; output:\n" + demo.output()).hasSize(3);
      String playlist = channels.get(0).get("playlist").asText();
      HttpResponse<String> m3u8 = http.send(HttpRequest.newBuilder(URI.create(url + playlist))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(m3u8.statusCode()).isEqualTo(200);
      assertThat(m3u8.body()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains("/webjars/hls.js/");
      try (var folders = Files.list(dir.resolve("streams"))) {
        assertThat(folders.count()).isGreaterThanOrEqualTo(3);
      }
    }
  }
}
