package io.hlskit.core.chat;

import io.hlskit.core.ChatException;
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
 */
public final class InMemoryChatBroker implements ChatBroker {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryChatBroker.class);

  private final Object lock = new Object();
  private final Map<String, Room> rooms = new HashMap<>();
  private final Clock clock;
  private long sessions;
  private long nextId;
  private boolean closed;

  private static final class Room {
    final ArrayDeque<ChatMessage> history = new ArrayDeque<>();
    final Set<Session> members = new LinkedHashSet<>();
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
    List<Session> everyone;
    synchronized (lock) {
      if (closed) {
        throw new ChatException("the chat broker is closed");
      }
      Room r = rooms.computeIfAbsent(room, k -> new Room());
      s = new Session(room, username, listener, List.copyOf(r.history));
      r.members.add(s);
      sessions++;
      everyone = presenceChanged();
    }
    drain(everyone);
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
  }

  /** Queues the new counts for every session; called with the lock held; returns them all. */
  private List<Session> presenceChanged() {
    List<Session> everyone = new ArrayList<>();
    for (Map.Entry<String, Room> e : rooms.entrySet()) {
      Presence p = new Presence(e.getKey(), sessions, e.getValue().members.size());
      for (Session s : e.getValue().members) {
        s.inbox.add(() -> s.listener.onPresence(p));
        everyone.add(s);
      }
    }
    return everyone;
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
    private final ChatListener listener;
    private final List<ChatMessage> history;
    private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private boolean left;

    Session(String room, String username, ChatListener listener, List<ChatMessage> history) {
      this.room = room;
      this.username = username;
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
      List<Session> everyone;
      synchronized (lock) {
        if (left) {
          return;
        }
        left = true;
        Room r = rooms.get(room);
        r.members.remove(this);
        sessions--;
        everyone = presenceChanged();
      }
      drain(everyone);
    }
  }
}
