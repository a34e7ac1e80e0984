package io.hlskit.chat.redis;

import io.hlskit.chat.redis.internal.StreamIds;
import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.chat.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client in one room on one {@link RedisChatBroker}. Until its history is read it buffers
 * what arrives, then delivers only what the history does not hold; it tells its listener of
 * counts only when they changed. Everything but {@link #send} and {@link #close} runs on the
 * broker's delivery thread.
 */
final class RedisChatSession implements ChatSession {
  private static final Logger LOG = LoggerFactory.getLogger(RedisChatSession.class);

  private final RedisChatBroker broker;
  final String room;
  final String username;
  final ChatListener listener;
  /** The key that holds this session's name in the room, and the value that says it is ours. */
  final String nameKey;
  final String token = UUID.randomUUID().toString();
  volatile List<ChatMessage> history = List.of();
  volatile boolean left;
  // the rest only on the delivery thread
  private boolean active;
  private String lastHistoryId;
  private final List<ChatMessage> buffered = new ArrayList<>();
  private Presence lastPresence;
  private Presence pendingPresence;

  RedisChatSession(RedisChatBroker broker, String room, String username, ChatListener listener,
      String nameKey) {
    this.broker = broker;
    this.room = room;
    this.username = username;
    this.listener = listener;
    this.nameKey = nameKey;
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
    return broker.send(this, text);
  }

  /** The history is known: deliver what arrived meanwhile and is not in it. */
  void activate(String lastId) {
    lastHistoryId = lastId;
    active = true;
    for (ChatMessage m : buffered) {
      deliver(m);
    }
    buffered.clear();
    if (pendingPresence != null) {
      offerPresence(pendingPresence);
    }
  }

  void offer(ChatMessage m) {
    if (!active) {
      buffered.add(m);
    } else {
      deliver(m);
    }
  }

  private void deliver(ChatMessage m) {
    if (left || (lastHistoryId != null && StreamIds.compare(m.id(), lastHistoryId) <= 0)) {
      return; // already in the history this session was given
    }
    try {
      listener.onMessage(m);
    } catch (RuntimeException e) {
      LOG.warn("the chat listener of {} in {} failed", username, room, e);
    }
  }

  /** A moderator deleted a message. */
  void deleted(String id) {
    if (left) {
      return;
    }
    try {
      listener.onMessageDeleted(id);
    } catch (RuntimeException e) {
      LOG.warn("the chat listener of {} in {} failed", username, room, e);
    }
  }

  void offerPresence(Presence p) {
    if (!active) {
      pendingPresence = p;
      return;
    }
    if (left || p.equals(lastPresence)) {
      return;
    }
    lastPresence = p;
    try {
      listener.onPresence(p);
    } catch (RuntimeException e) {
      LOG.warn("the chat listener of {} in {} failed", username, room, e);
    }
  }

  /** The room closed; the broker has let the name go. */
  void roomClosed() {
    try {
      listener.onRoomClosed();
    } catch (RuntimeException e) {
      LOG.warn("the chat listener of {} in {} failed", username, room, e);
    }
  }

  @Override
  public void close() {
    if (left) {
      return;
    }
    left = true;
    broker.leave(this);
  }
}
