package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads, jobs and deletes over real HTTP. The ingest service is the real queued one; its work
 * publishes the uploaded bytes as they are, which is all the server can know of ingestion
 * (transcoding behind this SPI is tested end to end in demo-app).
 */
class UploadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "s3cret-admin-token";
  /** The start of an MP4 file: enough for the sniffer, which only looks at the container. */
  private static final byte[] MP4 = mp4Like(10_000);

  @TempDir
  Path uploads;

  private InMemoryMediaStore store;
  private QueuedIngestService ingest;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private static byte[] mp4Like(int size) {
    byte[] b = new byte[size];
    byte[] head = "\0\0\0\u0018ftypisom\0\0\0\u0001isomavc1".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  /** What the ingester was handed, in order. */
  private final List<IngestRequest> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    store = new InMemoryMediaStore();
    ingest = QueuedIngestService.builder((request, progress) -> {
      received.add(request);
      if (request.title().equals("fail")) {
        throw new HlsException("the video could not be decoded: no stream libav can read");
      }
      try (ChannelDraft d = store.draft(request.channelId())) {
        d.write("source.mp4", request.file());
        progress.accept(0.5);
        d.publish(ChannelMetadata.builder(request.channelId()).title(request.title())
            .source(request.originalFilename().orElse(null)).visibility(request.visibility())
            .build());
      }
    }).profiles(Set.of("low", "medium", "high")).build();
    server = HlsServer.builder().mediaStore(store).ingest(ingest).adminToken(TOKEN)
        .maxUploadBytes(1_000_000).uploadDirectory(uploads).host("127.0.0.1").port(0)
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    ingest.close();
    store.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> post(String query, String contentType, byte[] body,
      String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/channels" + query))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitJob(String location) throws Exception {
    JsonNode[] job = new JsonNode[1];
    Eventually.await(Duration.ofSeconds(10), "job at " + location + " to end", () -> {
      try {
        job[0] = JSON.readTree(http.send(HttpRequest.newBuilder(uri(location)).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        String state = job[0].get("state").asText();
        return state.equals("done") || state.equals("failed");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return job[0];
  }

  @Test
  void theSpoolIsAFolderOnlyThisUserCanEnter() throws Exception {
    Path fresh = uploads.resolve("spool");
    HlsServer.builder().mediaStore(store).ingest(ingest).uploadDirectory(fresh)
        .host("127.0.0.1").port(0).build().start().close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rwx------");

    Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.createFile(fresh.resolve("upload-1.bin"));
    HlsServer.builder().mediaStore(store).ingest(ingest).uploadDirectory(fresh)
        .host("127.0.0.1").port(0).build().start().close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
        .as("an open spool of ours is closed").isEqualTo("rwx------");

    Path shared = Files.createDirectory(uploads.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
    Files.createFile(shared.resolve("someone-elses.txt"));
    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).ingest(ingest)
        .uploadDirectory(shared).host("127.0.0.1").port(0).build().start())
        .isInstanceOf(HlsException.class).hasMessageContaining("open to other users")
        .hasMessageContaining("uploadDirectory");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
        .as("a shared folder given by mistake is left as it was").isEqualTo("rwxrwxr-x");
  }

  @Test
  void uploadsAKilledServerLeftBehindAreRemovedWhenTheyAreOld() throws Exception {
    Path old = Files.createTempFile(uploads, "upload-", ".bin");
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(7))));
    Path recent = Files.createTempFile(uploads, "upload-", ".bin"); // another instance's, queued
    Path unrelated = Files.createFile(uploads.resolve("notes.txt"));
    HlsServer.builder().mediaStore(store).ingest(ingest).adminToken(TOKEN)
        .uploadDirectory(uploads).host("127.0.0.1").port(0).build().start().close();
    assertThat(old).doesNotExist();
    assertThat(recent).exists();
    assertThat(unrelated).exists();
    Files.delete(recent);
    Files.delete(unrelated);
  }

  @Test
  void aRawUploadBecomesAChannel() throws Exception {
    HttpResponse<String> r = post("?id=canal1&title=Canal%201&profile=low", "video/mp4", MP4,
        TOKEN);

    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode job = JSON.readTree(r.body());
    assertThat(job.get("channel").asText()).isEqualTo("canal1");
    assertThat(job.get("state").asText()).isIn("queued", "running", "done");
    String location = r.headers().firstValue("location").orElseThrow();
    assertThat(location).isEqualTo("/api/jobs/" + job.get("id").asText());

    JsonNode done = awaitJob(location);
    assertThat(done.get("state").asText()).isEqualTo("done");
    assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
    Eventually.await(Duration.ofSeconds(5), "canal1 listed",
        () -> store.channels().get("canal1").isPresent());
    assertThat(store.channels().get("canal1").orElseThrow().title()).isEqualTo("Canal 1");
    assertThat(store.open("canal1/source.mp4").orElseThrow().info().length())
        .isEqualTo(MP4.length);
    assertThat(received).singleElement().satisfies(q -> {
      assertThat(q.profile()).isEqualTo("low");
      assertThat(q.quality()).isEqualTo("bitrate");
    });
    try (var files = Files.list(uploads)) {
      assertThat(files).as("the upload is deleted once ingested").isEmpty();
    }
  }

  @Test
  void aMultipartUploadCarriesItsFields() throws Exception {
    String boundary = "hlskitBoundary42";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String[] field : new String[][] {{"id", "canal2"}, {"title", "Dos"},
        {"profile", "high"}, {"visibility", "private"}, {"quality", "auto"}}) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0]
          + "\"\r\n\r\n" + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
        + " filename=\"mi vídeo.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.write(MP4);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = post("", "multipart/form-data; boundary=" + boundary,
        body.toByteArray(), TOKEN);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(awaitJob(r.headers().firstValue("location").orElseThrow()).get("state").asText())
        .isEqualTo("done");
    Eventually.await(Duration.ofSeconds(5), "canal2 listed",
        () -> store.channels().get("canal2").isPresent());
    assertThat(store.channels().get("canal2").orElseThrow().title()).isEqualTo("Dos");
    assertThat(store.channels().get("canal2").orElseThrow().source()).contains("mi vídeo.mp4");
    assertThat(store.channels().get("canal2").orElseThrow().isPrivate()).isTrue();
    assertThat(received).singleElement().extracting(IngestRequest::quality).isEqualTo("auto");
  }

  @Test
  void uploadsNeedTheAdminToken() throws Exception {
    HttpResponse<String> none = post("?id=c", "video/mp4", MP4, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).contains("Bearer realm=\"hlskit\"");
    assertThat(post("?id=c", "video/mp4", MP4, "wrong").statusCode()).isEqualTo(401);
    assertThat(post("?id=c", "video/mp4", MP4, TOKEN.substring(1)).statusCode()).isEqualTo(401);

    HlsServer noToken = HlsServer.builder().mediaStore(store).ingest(ingest).host("127.0.0.1")
        .port(0).build().start();
    try {
      HttpResponse<String> off = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + noToken.port() + "/api/channels?id=c"))
          .header("Authorization", "Bearer anything").header("Content-Type", "video/mp4")
          .POST(HttpRequest.BodyPublishers.ofByteArray(MP4)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(off.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(off.body()).get("message").asText()).contains("no admin token");
    } finally {
      noToken.close();
    }
  }

  @Test
  void badUploadsAreRefusedAndLeaveNothing() throws Exception {
    assertThat(post("?id=text", "video/mp4",
        "just some text pretending".getBytes(StandardCharsets.UTF_8), TOKEN).statusCode())
        .isEqualTo(415);
    assertThat(post("?id=empty", "video/mp4", new byte[0], TOKEN).statusCode()).isEqualTo(415);
    assertThat(post("?id=plain", "text/plain", MP4, TOKEN).statusCode()).isEqualTo(415);
    assertThat(post("?id=../etc", "video/mp4", MP4, TOKEN).statusCode()).isEqualTo(400);
    assertThat(post("", "video/mp4", MP4, TOKEN).statusCode()).isEqualTo(400);
    HttpResponse<String> profile = post("?id=p&profile=ultra", "video/mp4", MP4, TOKEN);
    assertThat(profile.statusCode()).isEqualTo(400);
    assertThat(profile.body()).contains("unknown profile 'ultra'");
    HttpResponse<String> visibility = post("?id=v&visibility=secret", "video/mp4", MP4, TOKEN);
    assertThat(visibility.statusCode()).isEqualTo(400);
    assertThat(visibility.body()).contains("'public' or 'private'");
    HttpResponse<String> quality = post("?id=q&quality=best", "video/mp4", MP4, TOKEN);
    assertThat(quality.statusCode()).isEqualTo(400);
    assertThat(quality.body()).contains("quality must be 'bitrate'");
    HttpResponse<String> big = post("?id=big", "video/mp4", mp4Like(1_000_001), TOKEN);
    assertThat(big.statusCode()).isEqualTo(413);

    try (var files = Files.list(uploads)) {
      assertThat(files).isEmpty();
    }
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void anExistingChannelIsAConflictAndDeletesRemoveIt() throws Exception {
    String location = post("?id=canal3", "video/mp4", MP4, TOKEN).headers()
        .firstValue("location").orElseThrow();
    awaitJob(location);
    Eventually.await(Duration.ofSeconds(5), "canal3 listed",
        () -> store.channels().get("canal3").isPresent());

    HttpResponse<String> conflict = post("?id=canal3", "video/mp4", MP4, TOKEN);
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).contains("replace=true");
    HttpResponse<String> replaced = post("?id=canal3&title=Again&replace=true", "video/mp4",
        MP4, TOKEN);
    assertThat(replaced.statusCode()).isEqualTo(202);
    awaitJob(replaced.headers().firstValue("location").orElseThrow());
    assertThat(store.channels().get("canal3").orElseThrow().title()).isEqualTo("Again");

    HttpRequest delete = HttpRequest.newBuilder(uri("/api/channels/canal3")).DELETE()
        .header("Authorization", "Bearer " + TOKEN).build();
    assertThat(http.send(HttpRequest.newBuilder(uri("/api/channels/canal3")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(204);
    Eventually.await(Duration.ofSeconds(5), "canal3 gone",
        () -> store.channels().get("canal3").isEmpty());
    assertThat(store.list("canal3/")).isEmpty();
    assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aFailedJobReportsWhy() throws Exception {
    HttpResponse<String> r = post("?id=broken&title=fail", "video/mp4", MP4, TOKEN);

    JsonNode job = awaitJob(r.headers().firstValue("location").orElseThrow());

    assertThat(job.get("state").asText()).isEqualTo("failed");
    assertThat(job.get("error").asText()).contains("could not be decoded");
    assertThat(http.send(HttpRequest.newBuilder(uri("/api/jobs/nope")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }
}
