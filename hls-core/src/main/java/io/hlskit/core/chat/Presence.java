package io.hlskit.core.chat;

/**
 * How many are connected.
 *
 * @param room the room these counts were taken for
 * @param online chat sessions in the whole system, every room and every instance
 * @param watching chat sessions in {@code room}
 */
public record Presence(String room, long online, long watching) {
  public Presence {
    if (online < 0 || watching < 0 || watching > online) {
      throw new IllegalArgumentException(
          "counts must satisfy 0 <= watching <= online: " + watching + ", " + online);
    }
  }
}
