package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.OpenSegment;
import io.hlskit.core.playlist.PartialSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.PreloadHint;
import io.hlskit.core.playlist.ServerControl;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Low-Latency HLS requests over real HTTP: a live playlist written to the store as a pipeline
 * writes it, its new edges announced on the server's {@link LiveEdge}, and the server holding
 * blocking reloads and hinted parts until they exist, refusing what the specification says it
 * refuses, and answering delta updates.
 */
class LowLatencyServingTest {
  private static final Duration PART = Duration.ofMillis(334);
  private static final String PLAYLIST = "/streams/ll/360p/index.m3u8";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final LiveEdge edge = LiveEdge.inProcess();
  private MediaStore store;
  private HlsServer server;
  /** The segments complete so far, numbered from 100; parts of the open one. */
  private final List<MediaSegment> segments = new ArrayList<>();
  private final List<PartialSegment> open = new ArrayList<>();

  @BeforeEach
  void start() {
    store = FileSystemMediaStore.at(dir);
    LiveChannels.createOrUpdate(store, "ll", "Fast", Visibility.PUBLIC,
        LiveSettings.of("360p:600k").withSegmentDuration(Duration.ofSeconds(1)));
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0).liveEdge(edge)
        .build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private String partUri(int part) {
    return String.format("seg_%09d.%d.ts", 100 + segments.size(), part);
  }

  /** Writes the next part (and completes its segment every third), then announces it. */
  private void nextPart() {
    String uri = partUri(open.size());
    store.write("ll/360p/" + uri, ("part " + uri).getBytes(StandardCharsets.UTF_8));
    open.add(PartialSegment.of(uri, PART, open.isEmpty()));
    boolean complete = open.size() == 3;
    if (complete) {
      String seg = String.format("seg_%09d.ts", 100 + segments.size());
      store.write("ll/360p/" + seg, new byte[] {1});
      segments.add(MediaSegment.builder(seg, Duration.ofMillis(1002))
          .programDateTime(Instant.parse("2026-12-07T18:00:00Z").plusSeconds(segments.size())
              .atOffset(ZoneOffset.UTC))
          .parts(open).build());
      open.clear();
    }
    MediaPlaylist.Builder b = MediaPlaylist.builder().mediaSequence(100).targetDuration(1)
        .segments(segments).partTarget(PART)
        .serverControl(ServerControl.lowLatency(PART.multipliedBy(3), Duration.ofSeconds(6)))
        .addPreloadHint(PreloadHint.part(partUri(open.size())));
    if (!open.isEmpty()) {
      b.openSegment(OpenSegment.of(open));
    }
    store.write("ll/360p/index.m3u8", PlaylistWriter.write(b.build())
        .getBytes(StandardCharsets.UTF_8));
    long msn = 100 + segments.size() - (complete ? 1 : 0);
    edge.announce(new LiveEdge.Position("ll", "360p", msn, complete ? 2 : open.size() - 1,
        complete, false));
  }

  private CompletableFuture<HttpResponse<String>> ask(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static MediaPlaylist parse(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return PlaylistParser.strict().parseMedia(r.body());
  }

  @Test
  void aBlockingReloadIsHeldUntilItsPartIsWrittenAndContainsIt() throws Exception {
    nextPart();
    nextPart(); // segment 100, parts 0 and 1
    var held = ask(PLAYLIST + "?_HLS_msn=100&_HLS_part=2");
    var nextSegment = ask(PLAYLIST + "?_HLS_msn=101");
    Thread.sleep(400);
    assertThat(held).isNotDone();
    assertThat(server.heldLiveRequests()).isEqualTo(2);

    nextPart(); // part 2 completes segment 100
    MediaPlaylist p = parse(held.get(5, TimeUnit.SECONDS));
    assertThat(p.segments()).hasSize(1);
    assertThat(p.segments().get(0).parts()).hasSize(3);
    assertThat(held.get().headers().firstValue("Cache-Control")).hasValueSatisfying(
        v -> assertThat(v).startsWith("public, max-age="));
    assertThat(nextSegment).isNotDone();
    for (int i = 0; i < 3; i++) {
      nextPart();
    }
    assertThat(parse(nextSegment.get(5, TimeUnit.SECONDS)).segments()).hasSize(2);
    assertThat(server.heldLiveRequests()).isZero();

    // what is there already is answered at once; the plain playlist is never kept
    var now = ask(PLAYLIST + "?_HLS_msn=100&_HLS_part=0").get(2, TimeUnit.SECONDS);
    assertThat(parse(now).segments()).hasSize(2);
    var plain = ask(PLAYLIST).get(2, TimeUnit.SECONDS);
    assertThat(plain.headers().firstValue("Cache-Control")).contains("no-cache");
  }

  @Test
  void tooFarAheadIs400AndAPartThatNeverComesIs503() throws Exception {
    nextPart();
    var ahead = ask(PLAYLIST + "?_HLS_msn=103").get(2, TimeUnit.SECONDS);
    assertThat(ahead.statusCode()).isEqualTo(400);
    assertThat(ahead.body()).contains("more than two segments past");
    long t0 = System.nanoTime();
    var never = ask(PLAYLIST + "?_HLS_msn=102").get(10, TimeUnit.SECONDS);
    assertThat(never.statusCode()).isEqualTo(503);
    assertThat(never.body()).contains("three target durations");
    // three 1 s segments' worth
    assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2900));
    for (String bad : List.of("?_HLS_part=1", "?_HLS_msn=abc", "?_HLS_msn=-1",
        "?_HLS_msn=1&_HLS_msn=2", "?_HLS_skip=NO")) {
      var r = ask(PLAYLIST + bad).get(2, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.body()).as(bad).contains("bad_query");
    }
  }

  @Test
  void deltaUpdatesSkipWhatIsSixTargetDurationsOld() throws Exception {
    for (int i = 0; i < 3 * 20; i++) {
      nextPart();
    }
    MediaPlaylist full = parse(ask(PLAYLIST).get(2, TimeUnit.SECONDS));
    var r = ask(PLAYLIST + "?_HLS_msn=119&_HLS_skip=YES").get(2, TimeUnit.SECONDS);
    MediaPlaylist delta = parse(r);
    assertThat(delta.skip().orElseThrow().skippedSegments()).isEqualTo(14);
    assertThat(delta.version()).isEqualTo(9);
    assertThat(delta.segments()).isEqualTo(full.segments().subList(14, 20));
    assertThat(r.body()).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=14\n");
    var v2 = ask(PLAYLIST + "?_HLS_skip=v2").get(2, TimeUnit.SECONDS);
    assertThat(v2.body()).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=14,"
        + "RECENTLY-REMOVED-DATERANGES=\"\"\n");
    // the same question, the same bytes
    assertThat(ask(PLAYLIST + "?_HLS_msn=119&_HLS_skip=YES").get(2, TimeUnit.SECONDS).body())
        .isEqualTo(r.body());
  }

  @Test
  void aHintedPartIsHeldUntilWrittenThenSent() throws Exception {
    nextPart();
    String hinted = partUri(1);
    var part = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/streams/ll/360p/" + hinted)).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    assertThat(part).isNotDone();
    nextPart();
    HttpResponse<String> r = part.get(5, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("part " + hinted);
    // a part of no live edge is simply not there
    var none = ask("/streams/ll/180p/seg_000000100.0.ts").get(2, TimeUnit.SECONDS);
    assertThat(none.statusCode()).isEqualTo(404);
  }
}
