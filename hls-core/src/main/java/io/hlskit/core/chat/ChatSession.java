package io.hlskit.core.chat;

import java.util.List;

/**
 * One client's membership of one chat room, from {@link ChatBroker#join} until {@link #close}.
 * Thread-safe.
 */
public interface ChatSession extends AutoCloseable {

  /** The room joined. */
  String room();

  /** The name the client joined with. */
  String username();

  /**
   * The last messages of the room (at most {@link ChatBroker#HISTORY_SIZE}, oldest first) as they
   * were when this session joined. Every later message reaches the listener exactly once; none
   * of these does.
   */
  List<ChatMessage> history();

  /**
   * Sends a message to the room; every session in it (this one included) receives it.
   *
   * @return the message as accepted, with its id and timestamp
   * @throws io.hlskit.core.ChatException when the session is closed, the text is blank, or the
   *     backend cannot be reached; nothing was sent then
   */
  ChatMessage send(String text);

  /** Leaves the room; idempotent. */
  @Override
  void close();
}
