package io.hlskit.core.chat;

/**
 * Receives what happens in a chat room for one session.
 *
 * <p>Called on the broker's threads, never concurrently for one session, in the order things
 * happened; must return quickly (hand the frame to the connection's asynchronous send) and must
 * not throw.
 */
public interface ChatListener {

  /** A message sent to the room after this session joined, its own included. */
  void onMessage(ChatMessage message);

  /**
   * The counts changed: someone joined or left, in this room or elsewhere. Sent at most about
   * once a second, and only when this session's counts differ from what it was last told.
   */
  void onPresence(Presence presence);

  /**
   * The room was closed ({@link ChatBroker#closeRoom}: its channel was deleted); the session has
   * left it and nothing more arrives. Nothing happens by default.
   */
  default void onRoomClosed() {}

  /** A moderator deleted a message of the room. Nothing happens by default. */
  default void onMessageDeleted(String messageId) {}
}
