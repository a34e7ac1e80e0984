package io.hlskit.benchmarks;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.server.HlsServer;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.server.JwtTokens;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.undertow.Undertow;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An embedded {@code HlsServer} on a folder (16 random 2 MB segments and a 6 KB playlist),
 * fetched over loopback by the JDK's HTTP client, one client per JMH thread: random segments
 * and the playlist, against a stock Undertow {@code ResourceHandler} (with sendfile) serving the
 * same folder in the same JVM. Clients and servers share the cores; {@code serving.sh} is the
 * comparison with nginx on separate cores. Run with {@code -t 1} and {@code -t 16}.
 *
 * <p>{@code -p access=none,jwt,jwt-private} measures what access checks cost: {@code none} is
 * the default policy, {@code jwt} a {@link JwtAccessPolicy} serving the same public channel, and
 * {@code jwt-private} the channel made private and every request carrying a token (checked once,
 * then remembered).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServingBenchmark {
  private static final int SEGMENTS = 16;
  private static final String SECRET = "a-benchmark-secret-of-at-least-32-bytes";

  @Param({"none"})
  public String access;

  private Path root;
  private FileSystemMediaStore store;
  private HlsServer hlskit;
  private Undertow stock;
  private String hlskitBase;
  private String stockBase;
  private String token;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("hlskit-bench-serving-");
    store = FileSystemMediaStore.at(root);
    StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n"
        + "#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n");
    while (playlist.length() < 6000) {
      playlist.append("#EXTINF:6.000,\nseg_00000.ts\n");
    }
    playlist.append("#EXT-X-ENDLIST\n");
    byte[] segment = new byte[2 * 1024 * 1024];
    Random random = new Random(3);
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", playlist.toString().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < SEGMENTS; i++) {
        random.nextBytes(segment);
        d.write(String.format("seg_%05d.ts", i), segment);
      }
      d.publish(ChannelMetadata.builder("canal1").created(Instant.now())
          .visibility(access.equals("jwt-private") ? Visibility.PRIVATE : Visibility.PUBLIC)
          .build());
    }
    HlsServer.Builder server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0);
    switch (access) {
      case "none" -> { }
      case "jwt", "jwt-private" -> server.access(JwtAccessPolicy.builder().hs256Secret(SECRET)
          .build());
      default -> throw new IllegalArgumentException("access is none, jwt or jwt-private: "
          + access);
    }
    hlskit = server.build().start();
    token = access.equals("jwt-private") ? JwtTokens.hs256(SECRET).subject("bench").sign() : null;
    hlskitBase = "http://127.0.0.1:" + hlskit.port() + "/streams/canal1/";
    stock = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new ResourceHandler(new PathResourceManager(root, 1024))).build();
    stock.start();
    int stockPort = ((InetSocketAddress) stock.getListenerInfo().get(0).getAddress()).getPort();
    stockBase = "http://127.0.0.1:" + stockPort + "/canal1/";
  }

  /** Per thread: its own client (its own connections), as separate players would have. */
  @State(Scope.Thread)
  public static class Client {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    long fetch(String url) throws Exception {
      return fetch(url, null);
    }

    long fetch(String url, String token) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode());
      }
      return r.body().length;
    }
  }

  private static String randomSegment() {
    return String.format("seg_%05d.ts", ThreadLocalRandom.current().nextInt(SEGMENTS));
  }

  @Benchmark
  public long hlskitSegment(Client c) throws Exception {
    return c.fetch(hlskitBase + randomSegment(), token);
  }

  @Benchmark
  public long undertowSegment(Client c) throws Exception {
    return c.fetch(stockBase + randomSegment());
  }

  @Benchmark
  public long hlskitPlaylist(Client c) throws Exception {
    return c.fetch(hlskitBase + "playlist.m3u8", token);
  }

  @Benchmark
  public long undertowPlaylist(Client c) throws Exception {
    return c.fetch(stockBase + "playlist.m3u8");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    hlskit.close();
    stock.stop();
    store.close();
    TempFolders.delete(root);
  }
}
