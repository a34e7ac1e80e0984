package io.hlskit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
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
 * The chat half of {@code load.sh}: {@code --clients} WebSocket clients spread over {@code
 * --rooms} channels of a running server, every one of them sending at its rate limit (one
 * message every 1.05 s; the limit is five in five seconds) for {@code --seconds}. Counts what
 * went wrong (error frames, connections closed under the clients) and the delivery delay, and
 * exits non-zero when anything did.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hlskit.benchmarks.ChatLoad --port 18084 \
 *     --clients 500 --rooms 50 --seconds 60
 * </pre>
 */
@Command(name = "chat-load", mixinStandardHelpOptions = true)
public final class ChatLoad implements Callable<Integer> {
  private static final long PERIOD_MS = 1050;

  @Option(names = "--port", required = true)
  int port;

  @Option(names = "--clients", defaultValue = "500")
  int clients;

  @Option(names = "--rooms", defaultValue = "50", description = "channels canal1..canalN")
  int rooms;

  @Option(names = "--seconds", defaultValue = "60")
  int seconds;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong errorFrames = new AtomicLong();
  private final AtomicLong closedUnderUs = new AtomicLong();
  private final long[] delays = new long[1 << 23];
  private final AtomicInteger delayCount = new AtomicInteger();
  private volatile boolean stopping;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChatLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<HttpClient> https = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      https.add(HttpClient.newHttpClient());
    }
    CountDownLatch joined = new CountDownLatch(clients);
    List<Client> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Client c = new Client(joined);
      String room = "canal" + (1 + i % rooms);
      c.ws = https.get(i % https.size()).newWebSocketBuilder().buildAsync(URI.create(
          "ws://127.0.0.1:" + port + "/ws/chat?channel=" + room), c).join();
      c.ws.sendText("{\"type\":\"join\",\"username\":\"u" + i + "\"}", true).join();
      all.add(c);
    }
    if (!joined.await(60, TimeUnit.SECONDS)) {
      System.out.println("FAIL: " + joined.getCount() + " clients never got their history");
      return 1;
    }
    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
    for (int i = 0; i < clients; i++) {
      Client c = all.get(i);
      // fixed delay, not rate: a late tick must not be made up in a burst over the limit
      pacer.scheduleWithFixedDelay(() -> {
        sent.incrementAndGet();
        c.ws.sendText("{\"type\":\"chat_message\",\"text\":\"t=" + System.nanoTime() + "\"}",
            true);
      }, i * PERIOD_MS / clients, PERIOD_MS, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(seconds * 1000L);
    pacer.shutdownNow();
    Thread.sleep(2000); // what is in flight arrives
    stopping = true;
    for (Client c : all) {
      c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    int n = Math.min(delayCount.get(), delays.length);
    long[] d = Arrays.copyOf(delays, n);
    Arrays.sort(d);
    long expected = sent.get() * (clients / rooms);
    System.out.printf("chat: %d clients in %d rooms, %d messages sent (%.0f/s), %d deliveries"
            + " of %d expected, %d error frames, %d connections closed by the server; delay"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", clients, rooms, sent.get(),
        sent.get() / (double) seconds, received.get(), expected, errorFrames.get(),
        closedUnderUs.get(), pct(d, 0.5), pct(d, 0.99), n == 0 ? 0 : d[n - 1] / 1e6);
    boolean ok = errorFrames.get() == 0 && closedUnderUs.get() == 0
        && received.get() == expected;
    System.out.println(ok ? "chat: OK" : "chat: FAIL");
    return ok ? 0 : 1;
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
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
      switch (f.path("type").asText()) {
        case "history" -> {
          if (!gotHistory) {
            gotHistory = true;
            joined.countDown();
          }
        }
        case "error" -> {
          errorFrames.incrementAndGet();
          System.out.println("error frame: " + text);
        }
        case "chat_message" -> {
          String message = f.path("text").asText();
          if (message.startsWith("t=")) {
            received.incrementAndGet();
            int i = delayCount.getAndIncrement();
            if (i < delays.length) {
              delays[i] = now - Long.parseLong(message.substring(2));
            }
          }
        }
        default -> { }
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      if (!stopping) {
        closedUnderUs.incrementAndGet();
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (!stopping) {
        closedUnderUs.incrementAndGet();
      }
    }
  }
}
