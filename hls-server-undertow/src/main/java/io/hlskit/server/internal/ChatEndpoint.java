package io.hlskit.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hlskit.core.ChatNameTakenException;
import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatRules;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.chat.Presence;
import io.hlskit.server.ChatLimits;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * {@code /ws/chat?channel={id}}: the chat of one channel over a {@link ChatBroker}, in the JSON
 * frames of the chat protocol, with the limits a public chat needs: names of 1-32 and messages
 * of 1-500 characters, frames of at most 4 KB, the rates of {@link ChatLimits} (per connection,
 * address and room; joins too), a cap on connections per address, a bounded send queue (a
 * client that cannot keep up is dropped rather than slowing the room) and pings to find dead
 * peers.
 *
 * <p>Threads: frames are read and checked on the connection's I/O thread; what calls the broker
 * (join, send, leave), which may wait on a network, runs on this endpoint's own bounded pool,
 * one task at a time per connection and in arrival order, so that a slow broker never holds
 * an I/O thread (and every other connection on it). A connection with {@value #MAX_QUEUED}
 * frames waiting for the pool has the next ones refused.
 *
 * <p>The send queue: a client with more than {@value #MAX_PENDING_SENDS} frames waiting and
 * none written for {@value #STALL_MS} ms has stopped reading, and is dropped; so is any client
 * with {@value #MAX_PENDING_HARD} frames waiting (about 2 MB), whatever its pace. A reader that
 * keeps up rides out a burst far above what rate-limited senders can make.
 */
public final class ChatEndpoint implements WebSocketConnectionCallback {
  private static final Logger LOG = LoggerFactory.getLogger(ChatEndpoint.class);

  static final int MAX_FRAME = 4096;
  static final int MAX_USERNAME = ChatFrames.MAX_USERNAME;
  static final int MAX_TEXT = ChatFrames.MAX_TEXT;
  static final int MAX_QUEUED = 16;
  static final int MAX_PENDING_SENDS = 256;
  static final long STALL_MS = 2000;
  static final int MAX_PENDING_HARD = 4096;
  private static final long PING_MS = 20_000;

  private final ChatBroker broker;
  private final ChannelCatalog catalog;
  private final AccessPolicy access;
  private final ChatLimits limits;
  /** Broker calls: a few threads, a bounded queue; idle threads end. */
  private final ThreadPoolExecutor work;
  private final RateWindows perAddress;
  private final RateWindows perRoom;
  private final ConcurrentHashMap<String, Integer> connections = new ConcurrentHashMap<>();
  private final ChatStats stats;

  public ChatEndpoint(ChatBroker broker, ChannelCatalog catalog, AccessPolicy access,
      ChatLimits limits) {
    this(broker, catalog, access, limits, ChatStats.NONE);
  }

  public ChatEndpoint(ChatBroker broker, ChannelCatalog catalog, AccessPolicy access,
      ChatLimits limits, ChatStats stats) {
    this.stats = stats;
    this.broker = broker;
    this.catalog = catalog;
    this.access = access;
    this.limits = limits;
    this.perAddress = new RateWindows(limits.messagesPerAddress());
    this.perRoom = new RateWindows(limits.messagesPerRoom());
    AtomicInteger threads = new AtomicInteger();
    this.work = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(10_000), r -> {
          Thread t = new Thread(r, "hlskit-chat-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    work.allowCoreThreadTimeOut(true);
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    String room = first(exchange.getRequestParameters(), "channel");
    Optional<ChannelMetadata> published = room == null || !StorageKeys.isValidChannelId(room)
        ? Optional.empty() : catalog.get(room);
    AccessRequest request = ExchangeAccess.of(exchange, channel);
    Connection c = new Connection(channel, room, access.chatName(request));
    String address = request.remoteAddress();
    if (!opened(address)) {
      c.error("too_many_connections", "at most " + limits.connectionsPerAddress()
          + " chat connections from one address; close some first");
      WebSockets.sendClose(CloseMessage.MSG_VIOLATES_POLICY, "too many connections", channel,
          null);
      return;
    }
    channel.addCloseTask(ch -> closed(address));
    c.address = address;
    if (published.isEmpty()) {
      c.error("unknown_channel", "no published channel " + (room == null ? "(none given)"
          : "'" + abbreviate(room) + "'") + "; connect to /ws/chat?channel={id}");
      WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "unknown channel", channel, null);
      return;
    }
    AccessDecision decision = access.mayChat(request, published.get());
    if (!decision.allowed()) {
      c.error(decision.outcome() == AccessDecision.Outcome.UNAUTHENTICATED ? "unauthorized"
          : "forbidden", decision.reason());
      WebSockets.sendClose(CloseMessage.MSG_VIOLATES_POLICY, "not allowed", channel, null);
      return;
    }
    // pings on the connection's own I/O thread; a peer silent for three of them is dropped
    XnioExecutor.Key pings = channel.getIoThread().executeAtInterval(
        () -> WebSockets.sendPing(ByteBuffer.allocate(0), channel, null), PING_MS,
        TimeUnit.MILLISECONDS);
    channel.setIdleTimeout(3 * PING_MS);
    channel.addCloseTask(ch -> {
      pings.remove();
      // Undertow runs close tasks holding the channel's lock, and a broker may hold its own
      // lock while sending to this channel: leaving from here would close that cycle (a
      // deadlock at shutdown), so leave on another thread
      c.leaveSoon();
    });
    channel.getReceiveSetter().set(c);
    channel.resumeReceives();
  }

  /** Counts a connection from {@code address}; false (and not counted) beyond the cap. */
  private boolean opened(String address) {
    boolean[] ok = {false};
    connections.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      if (count >= limits.connectionsPerAddress()) {
        return n;
      }
      ok[0] = true;
      return count + 1;
    });
    return ok[0];
  }

  private void closed(String address) {
    connections.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** One client: its receive listener, its broker session and its send budget. */
  private final class Connection extends AbstractReceiveListener implements ChatListener {
    private final WebSocketChannel channel;
    private final String room;
    /** The name the caller's credentials fix, which a join frame cannot change. */
    private final Optional<String> fixedName;
    private final AtomicInteger pending = new AtomicInteger();
    /** When a frame was last written, or the queue last started from empty. */
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean dropped;
    private final RateWindows.Window sent;
    private final RateWindows.Window joins;
    private String address = "";
    /** Broker work waiting for the pool, run one at a time; guarded by itself. */
    private final Deque<Runnable> queued = new ArrayDeque<>();
    private boolean running;
    private volatile ChatSession session;
    /** Frames the broker delivers while join is still sending the history; null once sent. */
    private List<byte[]> early;
    private final Object earlyLock = new Object();
    private boolean closed;
    /** Whether this connection counts in its room's sessions; guarded by this. */
    private boolean counted;

    Connection(WebSocketChannel channel, String room, Optional<String> fixedName) {
      this.channel = channel;
      this.room = room;
      this.fixedName = fixedName;
      this.sent = new RateWindows.Window(limits.messagesPerConnection());
      this.joins = new RateWindows.Window(limits.joinsPerConnection());
    }

    @Override
    protected long getMaxTextBufferSize() {
      return MAX_FRAME; // larger frames close the connection with 1009 (message too big)
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
      ChatFrames.Frame frame = ChatFrames.decode(message.getData());
      if (fixedName.isPresent() && frame instanceof ChatFrames.Invalid i
          && (i.code().equals("bad_username") || i.code().equals("reserved_username"))) {
        frame = new ChatFrames.Join(fixedName.get()); // the name asked for is not used anyway
      }
      boolean isMessage = frame instanceof ChatFrames.Say
          || frame instanceof ChatFrames.Invalid i && i.code().equals("bad_text");
      if (isMessage && session == null && !joining) {
        notJoined(); // before judging the text: joining is what such a client must learn
      } else if (frame instanceof ChatFrames.Join join) {
        String name = fixedName.orElse(join.username());
        if (session != null && session.username().equals(name)) {
          return; // already so named: nothing to do, and nothing to tell the room
        }
        if (!joins.tryAcquire(System.nanoTime())) {
          error("rate_limited", "at most " + limits.joinsPerConnection().describe("joins")
              + "; wait a moment");
          return;
        }
        joining = true;
        submit(() -> join(name));
      } else if (frame instanceof ChatFrames.Say say) {
        if (!sent.tryAcquire(System.nanoTime())) {
          refuse("rate_limited", "at most "
              + limits.messagesPerConnection().describe("messages") + "; wait a moment");
        } else if (!perAddress.tryAcquire(address)) {
          refuse("rate_limited", "at most " + limits.messagesPerAddress().describe("messages")
              + " from one address; wait a moment");
        } else if (!perRoom.tryAcquire(room)) {
          refuse("room_busy", "this chat takes at most "
              + limits.messagesPerRoom().describe("messages") + "; try again in a moment");
        } else {
          submit(() -> say(say.text()));
        }
      } else if (frame instanceof ChatFrames.Invalid invalid) {
        error(invalid.code(), invalid.message());
      }
    }

    /** Set on the I/O thread when a join is queued: messages after it wait for it. */
    private volatile boolean joining;
    /** When this connection's last message went out (System.nanoTime), for slow mode. */
    private long lastSent;

    /** Runs broker work on the pool, after what this connection queued before. */
    private void submit(Runnable task) {
      synchronized (queued) {
        if (queued.size() >= MAX_QUEUED) {
          error("rate_limited", "too many frames at once; wait a moment");
          return;
        }
        queued.addLast(task);
        if (running) {
          return;
        }
        running = true;
      }
      schedule();
    }

    private void schedule() {
      try {
        work.execute(this::runQueued);
      } catch (RejectedExecutionException e) {
        synchronized (queued) {
          queued.clear();
          running = false;
        }
        error("chat_unavailable", "the chat is too busy now; try again shortly");
      }
    }

    private void runQueued() {
      Runnable task;
      synchronized (queued) {
        task = queued.pollFirst();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("chat work for {} failed", room, e);
      }
      schedule(); // the next one, if any, as a task of its own: others get the threads too
    }

    /** Leaves on the pool, after anything queued. */
    void leaveSoon() {
      synchronized (this) {
        closed = true;
      }
      try {
        work.execute(this::leave); // not through the queue: it may be full, leaving must happen
      } catch (RejectedExecutionException e) {
        CompletableFuture.runAsync(this::leave);
      }
    }

    private void join(String name) {
      // never hold a lock of ours while calling the broker: the broker calls back into other
      // connections while holding its own (a lock cycle otherwise)
      ChatSession previous;
      synchronized (this) {
        previous = session;
        session = null;
      }
      if (previous != null) {
        previous.close(); // joining again renames
      }
      // the broker may deliver counts and new messages before join returns: they wait, so the
      // client always sees the history first and then what came after it
      synchronized (earlyLock) {
        early = new ArrayList<>();
      }
      ChatSession joined;
      try {
        joined = broker.join(room, name, this);
      } catch (ChatNameTakenException e) {
        synchronized (earlyLock) {
          early = null;
        }
        joining = false;
        countOut(); // a rename that failed left the room
        error("username_taken", "someone in this chat is called " + name + " already; choose"
            + " another name");
        return;
      } catch (HlsException e) {
        synchronized (earlyLock) {
          early = null;
        }
        joining = false;
        countOut();
        unavailable("joining", e);
        return;
      }
      synchronized (this) {
        if (closed) {
          joined.close(); // the connection went away while joining
          return;
        }
        session = joined;
        countIn();
      }
      joining = false;
      ObjectNode history = Responses.JSON.createObjectNode();
      history.put("type", "history");
      ArrayNode messages = history.putArray("messages");
      joined.history().forEach(m -> messages.add(OutgoingFrames.messageNode(m)));
      synchronized (earlyLock) {
        send(history);
        early.forEach(this::sendFrame);
        early = null;
      }
      // the counts follow from the broker, which sends them at most once a second
    }

    /** The broker failed: the details go to the log, never to the client. */
    private void unavailable(String doing, HlsException e) {
      LOG.warn("chat {} in {} failed: {}", doing, room, e.getMessage());
      error("chat_unavailable", "the chat cannot be reached now; try again shortly");
    }

    private void say(String text) {
      ChatSession s = session;
      if (s == null) {
        notJoined(); // the session went away since the frame was judged
        return;
      }
      try {
        ChatRules rules = broker.rules(room);
        Instant until = rules.mutedUntil(s.username(), address, Instant.now());
        if (until != null) {
          refuse("muted", "a moderator muted you in this chat until " + until + " (UTC)");
          return;
        }
        long now = System.nanoTime();
        if (!rules.slowMode().isZero() && lastSent != 0
            && now - lastSent < rules.slowMode().toNanos()) {
          refuse("slow_mode", "this chat is in slow mode: one message every "
              + rules.slowMode().toSeconds() + " s; wait a moment");
          return;
        }
        s.send(text);
        lastSent = now;
        stats.delivered();
      } catch (HlsException e) {
        stats.refused();
        if (s != session) {
          notJoined(); // the room closed meanwhile
        } else {
          unavailable("sending", e);
        }
      }
    }

    private void notJoined() {
      error("not_joined", "send {\"type\":\"join\",\"username\":\"...\"} first");
    }

    @Override
    public void onMessage(ChatMessage m) {
      deliver(messageFrames.frame(m, OutgoingFrames::message));
    }

    @Override
    public void onPresence(Presence p) {
      deliver(presenceFrames.frame(p, OutgoingFrames::presence));
    }

    @Override
    public void onMessageDeleted(String messageId) {
      ObjectNode node = Responses.JSON.createObjectNode();
      node.put("type", "message_deleted");
      node.put("id", messageId);
      deliver(node);
    }

    @Override
    public void onRoomClosed() {
      synchronized (this) {
        session = null;
        countOut();
      }
      ObjectNode node = Responses.JSON.createObjectNode();
      node.put("type", "channel_deleted");
      node.put("channel", room);
      deliver(node);
      WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "channel deleted", channel, null);
    }

    /** Sends a broker frame, or keeps it until the history has gone out. */
    private void deliver(ObjectNode node) {
      deliver(OutgoingFrames.encode(node));
    }

    private void deliver(byte[] frame) {
      synchronized (earlyLock) {
        if (early != null) {
          early.add(frame);
        } else {
          sendFrame(frame); // under the lock: nothing overtakes frames being flushed
        }
      }
    }

    /** Refuses a chat message, and counts it. */
    private void refuse(String code, String reason) {
      stats.refused();
      error(code, reason);
    }

    /**
     * Counts this connection in its room's sessions, once. Under this connection's lock, so that
     * a leave racing a join cannot count it in after counting it out (the counting itself never
     * blocks).
     */
    private synchronized void countIn() {
      if (!counted) {
        counted = true;
        stats.joined(room);
      }
    }

    /** Takes this connection out of its room's sessions, if it was in. */
    private synchronized void countOut() {
      if (counted) {
        counted = false;
        stats.left(room);
      }
    }

    void error(String code, String reason) {
      ObjectNode node = Responses.JSON.createObjectNode();
      node.put("type", "error");
      node.put("code", code);
      node.put("reason", reason);
      send(node);
    }

    void leave() {
      ChatSession s;
      synchronized (this) {
        closed = true;
        s = session;
        session = null;
        countOut();
      }
      if (s != null) {
        s.close();
      }
    }

    private void send(ObjectNode node) {
      sendFrame(OutgoingFrames.encode(node));
    }

    /** Sends a text frame's UTF-8 bytes, which may be shared with other connections. */
    private void sendFrame(byte[] frame) {
      if (dropped) {
        return;   // the broker may still deliver until the close reaches it
      }
      int queued = pending.incrementAndGet();
      long now = System.nanoTime();
      if (queued == 1) {
        progressNanos = now;
      } else if (queued > MAX_PENDING_HARD || (queued > MAX_PENDING_SENDS
          && now - progressNanos > TimeUnit.MILLISECONDS.toNanos(STALL_MS))) {
        pending.decrementAndGet();
        dropped = true;
        LOG.info("dropping a chat client of {} that cannot keep up ({} frames waiting)", room,
            queued - 1);
        IoUtils.safeClose(channel);
        return;
      }
      // a buffer of its own over the shared bytes: the send moves its position only
      WebSockets.sendText(ByteBuffer.wrap(frame), channel, written);
    }

    /** What each frame's send reports: one object for the connection, not one per frame. */
    private final WebSocketCallback<Void> written = new WebSocketCallback<>() {
      @Override
      public void complete(WebSocketChannel ch, Void context) {
        progressNanos = System.nanoTime();
        pending.decrementAndGet();
      }

      @Override
      public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
        pending.decrementAndGet();
        IoUtils.safeClose(ch);
      }
    };
  }

  private final OutgoingFrames.Memo<ChatMessage> messageFrames = new OutgoingFrames.Memo<>();
  private final OutgoingFrames.Memo<Presence> presenceFrames = new OutgoingFrames.Memo<>();


}
