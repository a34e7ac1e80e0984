package io.hlskit.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.Presence;
import java.util.function.Function;

/** The chat frames the server sends, as UTF-8 JSON bytes that connections may share. */
final class OutgoingFrames {
  private OutgoingFrames() {}

  /** A chat message's fields, as in {@code chat_message} and {@code history} frames. */
  static ObjectNode messageNode(ChatMessage m) {
    ObjectNode node = Responses.JSON.createObjectNode();
    node.put("id", m.id());
    node.put("username", m.username());
    node.put("text", m.text());
    node.put("ts", m.timestamp().toEpochMilli());
    return node;
  }

  /** A frame's UTF-8 JSON bytes. */
  static byte[] encode(ObjectNode node) {
    try {
      return Responses.JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a chat frame could not be written as JSON", e);
    }
  }

  /** A chat message as the clients' {@code chat_message} frame. */
  static byte[] message(ChatMessage m) {
    ObjectNode node = messageNode(m);
    node.put("type", "chat_message");
    return encode(node);
  }

  /** Presence counts as the clients' {@code user_count} frame. */
  static byte[] presence(Presence p) {
    ObjectNode node = Responses.JSON.createObjectNode();
    node.put("type", "user_count");
    node.put("online", p.online());
    node.put("watching", p.watching());
    return encode(node);
  }

  /**
   * The last few broker events encoded, per kind and thread: a broker hands every session of a
   * room the same event object, so a message to a thousand clients is written as JSON once, not
   * a thousand times. A thread that delivers drains one session's waiting events, then the next
   * session's, so it meets the same few events in turn: {@value #SLOTS} slots per thread,
   * compared by identity, the oldest replaced.
   */
  static final class Memo<T> {
    private static final int SLOTS = 16;

    private static final class Slots {
      final Object[] events = new Object[SLOTS];
      final byte[][] frames = new byte[SLOTS][];
      int next;
    }

    private final ThreadLocal<Slots> slots = ThreadLocal.withInitial(Slots::new);

    byte[] frame(T event, Function<T, byte[]> encoder) {
      Slots s = slots.get();
      for (int i = 0; i < SLOTS; i++) {
        if (s.events[i] == event) {
          return s.frames[i];
        }
      }
      byte[] frame = encoder.apply(event);
      s.events[s.next] = event;
      s.frames[s.next] = frame;
      s.next = (s.next + 1) % SLOTS;
      return frame;
    }
  }

}
