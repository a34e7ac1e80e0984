package io.hlskit.core.chat;

import io.hlskit.core.ChatException;
import io.hlskit.core.ChatNameTakenException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ChatBroker}: rooms in this process's memory. History is lost on restart and not shared between server instances; use
 * {@code hls-chat-redis} for that.
 *
 * <p>Thread-safe. One lock orders every join, leave and message, so each listener sees events in
 * one order and never two at once. Listeners are called after that lock is released, from a
 * per-session inbox, so a listener may take its own locks (a WebSocket's) without a lock cycle.
 *
 * <p>Counts go out from a thread of the broker's, at most once a second however many joins and
 * leaves there are, and only to the sessions whose counts changed: a flood of joins in one room
 * costs the others a frame a second at most.
 */
public final class InMemoryChatBroker implements ChatBroker {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryChatBroker.class);

  private final Object lock = new Object();
  private final Map<String, Room> rooms = new HashMap<>();
  private final Clock clock;
  private long sessions;
  private long nextId;
  private boolean closed;
  /** Sends the counts; one daemon thread, so that no caller's thread does that work. */
  private final ScheduledExecutorService presenceThread =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hlskit-chat-presence");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean presencePending = new AtomicBoolean();
  /** When the counts last went out (System.nanoTime); on the presence thread. */
  private volatile long lastPresence = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
  private static final long PRESENCE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final class Room {
    final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    final Set<Session> members = new LinkedHashSet<>();
    ChatRules rules = ChatRules.NONE;
  }

  /** An empty broker. */
  public InMemoryChatBroker() {
    this(Clock.systemUTC());
  }

  InMemoryChatBroker(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ChatSession join(String room, String username, ChatListener listener) {
    requireText(room, "room");
    requireText(username, "username");
    if (listener == null) {
      throw new ChatException("a chat session needs a listener");
    }
    Session s;
    synchronized (lock) {
      if (closed) {
        throw new ChatException("the chat broker is closed");
      }
      Room r = rooms.computeIfAbsent(room, k -> new Room());
      String folded = ChatNames.fold(username);
      if (r.members.stream().anyMatch(m -> m.folded.equals(folded))) {
        throw new ChatNameTakenException("someone in " + room + " is called " + username
            + " already; choose another name");
      }
      s = new Session(room, username, listener, List.copyOf(r.history));
      r.members.add(s);
      sessions++;
    }
    presenceChanged();
    return s;
  }

  @Override
  public List<ChatMessage> history(String room) {
    synchronized (lock) {
      Room r = rooms.get(room);
      return r == null ? List.of() : List.copyOf(r.history);
    }
  }

  @Override
  public Presence presence(String room) {
    synchronized (lock) {
      Room r = rooms.get(room);
      return new Presence(room, sessions, r == null ? 0 : r.members.size());
    }
  }

  @Override
  public void close() {
    List<Session> all = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      rooms.values().forEach(r -> all.addAll(r.members));
    }
    all.forEach(Session::close);
    presenceThread.shutdownNow();
  }

  @Override
  public void deleteMessage(String room, String messageId) {
    requireText(room, "room");
    List<Session> members;
    synchronized (lock) {
      Room r = rooms.get(room);
      if (r == null || !r.history.removeIf(m -> m.id().equals(messageId))) {
        return;
      }
      members = new ArrayList<>(r.members);
      for (Session s : members) {
        s.inbox.add(() -> s.listener.onMessageDeleted(messageId));
      }
    }
    drain(members);
  }

  @Override
  public ChatRules rules(String room) {
    synchronized (lock) {
      Room r = rooms.get(room);
      return r == null ? ChatRules.NONE : r.rules;
    }
  }

  @Override
  public void setRules(String room, ChatRules rules) {
    requireText(room, "room");
    synchronized (lock) {
      rooms.computeIfAbsent(room, k -> new Room()).rules = java.util.Objects.requireNonNull(
          rules, "rules");
    }
  }

  @Override
  public void closeRoom(String room) {
    requireText(room, "room");
    List<Session> members;
    synchronized (lock) {
      Room r = rooms.remove(room);
      if (r == null) {
        return;
      }
      members = new ArrayList<>(r.members);
      for (Session s : members) {
        s.left = true;
        sessions--;
        s.inbox.add(s.listener::onRoomClosed);
      }
    }
    drain(members);
    presenceChanged();
  }

  /**
   * Someone joined or left: the counts go out on the presence thread, at once when they last
   * went out a second ago or more, else when that second is up (one sending for all the changes
   * meanwhile).
   */
  private void presenceChanged() {
    if (!presencePending.compareAndSet(false, true)) {
      return;
    }
    long wait = Math.max(0, lastPresence + PRESENCE_INTERVAL_NANOS - System.nanoTime());
    try {
      presenceThread.schedule(this::sendPresence, wait, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Queues the counts for each session whose counts changed, then delivers them. */
  private void sendPresence() {
    presencePending.set(false);
    lastPresence = System.nanoTime();
    List<Session> told = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, Room> e : rooms.entrySet()) {
        Presence p = new Presence(e.getKey(), sessions, e.getValue().members.size());
        for (Session s : e.getValue().members) {
          if (!p.equals(s.lastCounts)) {
            s.lastCounts = p;
            s.inbox.add(() -> s.listener.onPresence(p));
            told.add(s);
          }
        }
      }
    }
    drain(told);
  }

  /** Runs what waits in each session's inbox; called without the lock. */
  private static void drain(List<Session> sessions) {
    for (Session s : sessions) {
      // one drainer at a time per session keeps its events in order and never concurrent;
      // the re-check after letting go catches what arrived meanwhile
      while (!s.inbox.isEmpty() && s.draining.compareAndSet(false, true)) {
        try {
          Runnable r;
          while ((r = s.inbox.poll()) != null) {
            try {
              r.run();
            } catch (RuntimeException e) {
              LOG.warn("the chat listener of {} in {} failed", s.username, s.room, e);
            }
          }
        } finally {
          s.draining.set(false);
        }
      }
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new ChatException("the " + what + " must not be blank");
    }
  }

  private final class Session implements ChatSession {
    private final String room;
    private final String username;
    private final String folded;
    private final ChatListener listener;
    private final List<ChatMessage> history;
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private boolean left;
    /** The counts this session was last told; guarded by the broker's lock. */
    private Presence lastCounts;

    Session(String room, String username, ChatListener listener, List<ChatMessage> history) {
      this.room = room;
      this.username = username;
      this.folded = ChatNames.fold(username);
      this.listener = listener;
      this.history = history;
    }

    @Override
    public String room() {
      return room;
    }

    @Override
    public String username() {
      return username;
    }

    @Override
    public List<ChatMessage> history() {
      return history;
    }

    @Override
    public ChatMessage send(String text) {
      requireText(text, "message text");
      ChatMessage m;
      List<Session> members;
      synchronized (lock) {
        if (left) {
          throw new ChatException("this chat session has left " + room + "; join again to send");
        }
        Room r = rooms.get(room);
        m = new ChatMessage(Long.toString(++nextId), room, username, text, clock.instant());
        r.history.addLast(m);
        while (r.history.size() > HISTORY_SIZE) {
          r.history.removeFirst();
        }
        members = new ArrayList<>(r.members);
        for (Session s : members) {
          s.inbox.add(() -> s.listener.onMessage(m));
        }
      }
      drain(members);
      return m;
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (left) {
          return;
        }
        left = true;
        Room r = rooms.get(room);
        r.members.remove(this);
        if (r.members.isEmpty() && r.history.isEmpty() && r.rules == ChatRules.NONE) {
          rooms.remove(room);
        }
        sessions--;
      }
      presenceChanged();
    }
  }
}
