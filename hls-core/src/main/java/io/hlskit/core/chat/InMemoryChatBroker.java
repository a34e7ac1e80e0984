package io.hlskit.core.chat;

import io.hlskit.core.ChatException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ChatBroker}: rooms in this process's memory, as the seed's Socket.IO server
 * kept them. History is lost on restart and not shared between server instances; use
 * {@code hls-chat-redis} for that.
 *
 * <p>Thread-safe. One lock orders every join, leave and message, so each listener sees events in
 * one order and never two at once; listeners are called while it is held and must be quick.
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
    synchronized (lock) {
      if (closed) {
        throw new ChatException("the chat broker is closed");
      }
      Room r = rooms.computeIfAbsent(room, k -> new Room());
      Session s = new Session(room, username, listener, List.copyOf(r.history));
      r.members.add(s);
      sessions++;
      presenceChanged();
      return s;
    }
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

  /** Tells every session the new counts; called with the lock held. */
  private void presenceChanged() {
    for (Map.Entry<String, Room> e : rooms.entrySet()) {
      Presence p = new Presence(e.getKey(), sessions, e.getValue().members.size());
      for (Session s : e.getValue().members) {
        deliver(s, () -> s.listener.onPresence(p));
      }
    }
  }

  private static void deliver(Session s, Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("the chat listener of {} in {} failed", s.username, s.room, e);
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
      synchronized (lock) {
        if (left) {
          throw new ChatException("this chat session has left " + room + "; join again to send");
        }
        Room r = rooms.get(room);
        ChatMessage m = new ChatMessage(Long.toString(++nextId), room, username, text,
            clock.instant());
        r.history.addLast(m);
        while (r.history.size() > HISTORY_SIZE) {
          r.history.removeFirst();
        }
        for (Session s : r.members) {
          deliver(s, () -> s.listener.onMessage(m));
        }
        return m;
      }
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
        sessions--;
        presenceChanged();
      }
    }
  }
}
