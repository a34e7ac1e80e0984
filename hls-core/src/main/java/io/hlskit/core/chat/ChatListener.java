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

  /** The counts changed: someone joined or left, in this room or elsewhere. */
  void onPresence(Presence presence);
}
