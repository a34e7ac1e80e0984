package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a new user runs it: the packaged {@code hlskit-demo.jar}, in a
 * process of its own, on an empty folder. Catches what only the assembled jar can get wrong (a
 * dependency missing from the shaded jar, natives that do not load).
 */
class PackagedJarIT {
  private static final Path JAR = Path.of("target", "hlskit-demo.jar");
  private static final Pattern URL = Pattern.compile("open (http://localhost:(\\d+)/)");

  @TempDir
  Path dir;

  @Test
  void aFirstServeMakesSampleChannelsAndServesThem() throws Exception {
    assertThat(JAR).as("run after package").exists();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", JAR.toAbsolutePath().toString(), "serve", "--port", "0",
        "--host", "127.0.0.1")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      CompletableFuture<String> base = new CompletableFuture<>();
      StringBuilder output = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (output) {
              output.append(line).append('\n');
            }
            Matcher m = URL.matcher(line);
            if (m.find()) {
              base.complete("http://127.0.0.1:" + m.group(2));
            }
          }
        } catch (Exception e) {
          base.completeExceptionally(e);
        }
      });
      reader.setDaemon(true);
      reader.start();
      String url = base.get(60, TimeUnit.SECONDS);

      HttpClient http = HttpClient.newHttpClient();
      JsonNode channels = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create(url + "/api/channels")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /api/channels; output:\n" + output).isEqualTo(200);
        channels = new ObjectMapper().readTree(r.body());
        if (channels.size() == 3) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(channels).as("sample channels; output:\n" + output).hasSize(3);
      String playlist = channels.get(0).get("playlist").asText();
      HttpResponse<String> m3u8 = http.send(HttpRequest.newBuilder(URI.create(url + playlist))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(m3u8.statusCode()).isEqualTo(200);
      assertThat(m3u8.body()).startsWith("#EXTM3U").contains("#EXT-X-ENDLIST");
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains("/webjars/hls.js/");
      assertThat(Files.list(dir.resolve("streams")).count()).isGreaterThanOrEqualTo(3);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
