package io.hlskit.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Low-Latency HLS players on one selector thread, each with two HTTP/1.1 keep-alive connections
 * as hls.js has: one for its blocking playlist reloads, one for parts. A player joins with the
 * plain playlist, then asks for the next part with {@code _HLS_msn}, {@code _HLS_part} and
 * {@code _HLS_skip=YES}; each answer sends the next reload at once and fetches the part it
 * asked for on the other connection.
 *
 * <p>Written on plain sockets so that the players cost the shared machine little: a reload's
 * answer is timed when its first bytes are read, at the selector's wake-up, before any work on
 * it.
 */
final class NioPlayers implements AutoCloseable {
  /** What the players did: each reload's msn, part, when sent and when answered; parts. */
  static final class Stats {
    final ConcurrentLinkedQueue<long[]> reloads = new ConcurrentLinkedQueue<>();
    final AtomicLong parts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
  }

  private final InetSocketAddress server;
  private final String path;
  private final Selector selector;
  private final Thread thread;
  private final PriorityQueue<long[]> due = new PriorityQueue<>((a, b) -> Long.compare(a[0],
      b[0]));
  private final List<Player> players = new ArrayList<>();
  private volatile Stats stats = new Stats();
  private volatile boolean running = true;

  NioPlayers(InetSocketAddress server, String path, int n) throws IOException {
    this.server = server;
    this.path = path;
    this.selector = Selector.open();
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      players.add(new Player());
      due.add(new long[] {now + i * 10_000_000L, i}); // joining over n/100 seconds
    }
    thread = new Thread(this::loop, "players");
    thread.start();
  }

  /** What the players did since the last call; read from any thread. */
  Stats take() {
    Stats s = stats;
    stats = new Stats();
    return s;
  }

  @Override
  public void close() throws Exception {
    running = false;
    selector.wakeup();
    thread.join(10_000);
    selector.close();
  }

  private void loop() {
    try {
      while (running) {
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek()[0] <= now) {
          players.get((int) due.poll()[1]).join();
        }
        long wait = due.isEmpty() ? 100 : Math.max(1, (due.peek()[0] - now) / 1_000_000);
        selector.select(Math.min(wait, 100));
        long woke = System.nanoTime();
        for (SelectionKey k : selector.selectedKeys()) {
          ((Connection) k.attachment()).readable(woke);
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException("the players' selector failed", e);
    }
  }

  /** A player: its connections and what it asked last. */
  private final class Player {
    final Connection playlist = new Connection(this, true);
    final Connection parts = new Connection(this, false);
    final List<String> queuedParts = new ArrayList<>();

    void join() {
      playlist.send(path, -1, -1);
    }

    void answered(Connection c, int status, String body, long at) {
      Stats s = stats;
      if (status != 200) {
        s.errors.incrementAndGet();
        if (c.playlist) {
          due.add(new long[] {System.nanoTime() + 200_000_000L, players.indexOf(this)});
        }
        return;
      }
      if (!c.playlist) {
        s.parts.incrementAndGet();
        if (!queuedParts.isEmpty()) {
          parts.send(queuedParts.remove(0), -1, -1);
        }
        return;
      }
      HeldPlayers.Edge edge = HeldPlayers.Edge.of(body);
      if (c.msn >= 0) {
        s.reloads.add(new long[] {c.msn, c.part, c.sentAt, at});
        Optional<String> uri = edge.partUri(c.msn, c.part);
        if (uri.isPresent()) {
          String part = path.substring(0, path.lastIndexOf('/') + 1) + uri.get();
          if (parts.busy) {
            queuedParts.add(part);
          } else {
            parts.send(part, -1, -1);
          }
        }
      }
      long msn = edge.nextMsn();
      long part = edge.nextPart();
      playlist.send(path + "?_HLS_msn=" + msn + "&_HLS_part=" + part + "&_HLS_skip=YES", msn,
          part);
    }
  }

  /** One keep-alive connection, one request at a time. */
  private final class Connection {
    final Player player;
    final boolean playlist;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    boolean busy;
    long msn;
    long part;
    long sentAt;
    long firstByteAt;

    Connection(Player player, boolean playlist) {
      this.player = player;
      this.playlist = playlist;
    }

    void send(String target, long msn, long part) {
      this.msn = msn;
      this.part = part;
      busy = true;
      in.clear();
      firstByteAt = 0;
      byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
          + server.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        if (channel == null || !channel.isOpen()) {
          channel = SocketChannel.open(server);
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.configureBlocking(false);
          key = channel.register(selector, SelectionKey.OP_READ, this);
        }
        sentAt = System.nanoTime();
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          channel.write(out); // a few hundred bytes into an empty socket buffer
        }
      } catch (IOException e) {
        failed();
      }
    }

    void readable(long woke) {
      try {
        if (!in.hasRemaining()) {
          in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
        }
        int n = channel.read(in);
        if (n < 0) {
          failed();
          return;
        }
        if (firstByteAt == 0 && n > 0) {
          firstByteAt = woke;
        }
        complete();
      } catch (IOException e) {
        failed();
      }
    }

    /** Hands a whole response on, once its headers and Content-Length bytes are in. */
    private void complete() {
      byte[] b = in.array();
      int end = -1;
      for (int i = 3; i < in.position(); i++) {
        if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
          end = i + 1;
          break;
        }
      }
      if (end < 0) {
        return;
      }
      String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      int at = head.toLowerCase(Locale.ROOT).indexOf("\ncontent-length:");
      if (at < 0) {
        failed(); // every answer here has a length
        return;
      }
      int length = Integer.parseInt(head.substring(at + 16, head.indexOf('\r', at)).trim());
      if (in.position() < end + length) {
        return;
      }
      busy = false;
      String body = playlist ? new String(b, end, length, StandardCharsets.UTF_8) : "";
      player.answered(this, status, body, firstByteAt);
    }

    private void failed() {
      busy = false;
      try {
        if (key != null) {
          key.cancel();
        }
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // closing a broken connection
      }
      channel = null;
      player.answered(this, 0, "", System.nanoTime());
    }
  }
}
