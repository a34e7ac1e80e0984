package io.hlskit.core.chat;

import java.time.Instant;
import java.util.Objects;

/**
 * One chat message as delivered and kept in history.
 *
 * @param id unique across the system and increasing within a room in the order of delivery
 * @param room the room (channel id) it was sent to
 * @param username who sent it
 * @param text what was said, as typed: clients render it as text, never as markup
 * @param timestamp when the broker accepted it
 */
public record ChatMessage(String id, String room, String username, String text,
    Instant timestamp) {
  public ChatMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
