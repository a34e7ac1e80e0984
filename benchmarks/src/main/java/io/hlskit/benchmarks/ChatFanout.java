package io.hlskit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.hlskit.chat.redis.RedisChatBroker;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.server.HlsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chat fan-out under load, end to end over real WebSockets on loopback: {@code --clients}
 * clients join one room, spread evenly over {@code --instances} servers; {@code --senders} of
 * them send a message every 1.05 s (the per-client rate limit allows five in five seconds) with
 * the send time in the text; every client records the delay of every message it receives.
 * Prints deliveries per second and the p50/p99/p99.9 delay. With {@code --broker memory} the
 * instances are one server on the in-memory broker; with {@code redis} they share a real
 * redis-server started here. Clients, servers and Redis share this machine's cores.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.ChatFanout --broker redis \
 *     --instances 2 --clients 1000 --senders 20 --seconds 20
 * </pre>
 */
@Command(name = "chat-fanout", mixinStandardHelpOptions = true)
public final class ChatFanout implements Callable<Integer> {
  /** A little over a second: at exactly 1 s, scheduling jitter trips the 5-in-5-s limit. */
  private static final long PERIOD_MS = 1050;

  @Option(names = "--broker", defaultValue = "memory", description = "memory or redis")
  String broker;

  @Option(names = "--instances", defaultValue = "1", description = "servers (redis only > 1)")
  int instances;

  @Option(names = "--clients", defaultValue = "1000")
  int clients;

  @Option(names = "--senders", defaultValue = "20", description = "clients that send, 1/s each")
  int senders;

  @Option(names = "--seconds", defaultValue = "20", description = "measured time")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "seconds sent but not measured")
  int warmup;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean measuring;
  private long[] delays = new long[1 << 22];
  private final AtomicInteger delayCount = new AtomicInteger();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChatFanout()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean redis = broker.toLowerCase(Locale.ROOT).equals("redis");
    if (!redis && instances != 1) {
      throw new IllegalArgumentException("the in-memory broker is one instance");
    }
    RedisTestServer redisServer = redis ? RedisTestServer.start() : null;
    String namespace = "fanout-" + UUID.randomUUID();
    List<HlsServer> servers = new ArrayList<>();
    List<ChatBroker> brokers = new ArrayList<>();
    List<InMemoryMediaStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        ChatBroker b = redis
            ? RedisChatBroker.builder(redisServer.uri()).namespace(namespace).build()
            : new InMemoryChatBroker();
        InMemoryMediaStore store = new InMemoryMediaStore();
        try (ChannelDraft d = store.draft("canal1")) {
          d.publish(ChannelMetadata.builder("canal1").build());
        }
        brokers.add(b);
        stores.add(store);
        servers.add(HlsServer.builder().mediaStore(store).chatBroker(b)
            .chatLimits(LoadLimits.ONE_ADDRESS).host("127.0.0.1").port(0).build().start());
      }
      run(servers);
    } finally {
      servers.forEach(HlsServer::close);
      brokers.forEach(ChatBroker::close);
      stores.forEach(InMemoryMediaStore::close);
      if (redisServer != null) {
        redisServer.close();
      }
    }
    return 0;
  }

  private void run(List<HlsServer> servers) throws Exception {
    List<HttpClient> https = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      https.add(HttpClient.newHttpClient());
    }
    List<Client> all = new ArrayList<>();
    CountDownLatch joined = new CountDownLatch(clients);
    long start = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      HlsServer s = servers.get(i % servers.size());
      Client c = new Client(joined);
      c.ws = https.get(i % https.size()).newWebSocketBuilder().buildAsync(URI.create(
          "ws://127.0.0.1:" + s.port() + "/ws/chat?channel=canal1"), c).join();
      c.ws.sendText("{\"type\":\"join\",\"username\":\"u" + i + "\"}", true).join();
      all.add(c);
      if (i % 100 == 99) {
        Thread.sleep(100); // let the presence updates of a ramp settle
      }
    }
    if (!joined.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(joined.getCount() + " clients never got their history");
    }
    System.out.printf("%d clients joined on %d instance(s) in %.1f s%n", clients,
        servers.size(), (System.nanoTime() - start) / 1e9);
    Thread.sleep(2000); // the last presence updates

    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
    for (int i = 0; i < senders; i++) {
      Client c = all.get(i * (clients / senders));
      pacer.scheduleAtFixedRate(() -> {
        sent.incrementAndGet();
        c.ws.sendText("{\"type\":\"chat_message\",\"text\":\"t=" + System.nanoTime() + "\"}",
            true);
      }, i * PERIOD_MS / senders, PERIOD_MS, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(warmup * 1000L);
    long sentBefore = sent.get();
    received.set(0);
    measuring = true;
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring = false;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long got = received.get();
    long sentDuring = sent.get() - sentBefore;
    pacer.shutdownNow();

    int n = Math.min(delayCount.get(), delays.length);
    long[] d = Arrays.copyOf(delays, n);
    Arrays.sort(d);
    System.out.printf("broker=%s instances=%d clients=%d senders=%d: %d messages sent, %d"
            + " refused; %.0f deliveries/s (%.1f%% of sent x clients), delay p50 %.2f ms,"
            + " p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", broker, servers.size(), clients,
        senders, sentDuring, refused.get(), got / elapsed,
        100.0 * got / (sentDuring * (double) clients), pct(d, 0.50), pct(d, 0.99),
        pct(d, 0.999), n == 0 ? 0 : d[n - 1] / 1e6);
    for (Client c : all) {
      c.ws.abort();
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }

  private final class Client extends JsonFrameListener {
    private final CountDownLatch joined;
    private boolean gotHistory;
    WebSocket ws;

    Client(CountDownLatch joined) {
      this.joined = joined;
    }

    @Override
    void onFrame(JsonNode f, String text, long now) {
      String type = f.path("type").asText();
      if (type.equals("history") && !gotHistory) {
        gotHistory = true;
        joined.countDown();
      } else if (type.equals("error") && measuring) {
        refused.incrementAndGet();
      } else if (type.equals("chat_message") && measuring) {
        String message = f.path("text").asText();
        if (message.startsWith("t=")) {
          received.incrementAndGet();
          int i = delayCount.getAndIncrement();
          if (i < delays.length) {
            delays[i] = now - Long.parseLong(message.substring(2));
          }
        }
      }
    }
  }
}
