package io.hlskit.core.chat;

import java.util.List;

/**
 * Chat rooms, one per channel: join and leave, send and receive, the last {@value #HISTORY_SIZE}
 * messages of each room, and how many are connected.
 *
 * <p>The default is the {@link InMemoryChatBroker} (one process); {@code hls-chat-redis} spans
 * server instances. Limits on usernames, text and rates are the server's business; a broker
 * refuses only what it cannot carry (blank names, blank text). Every backend runs the contract
 * suite {@code ChatBrokerContract} from hls-core's test-jar.
 *
 * <p>Implementations are thread-safe.
 */
public interface ChatBroker extends AutoCloseable {

  /** How many messages a room keeps for those who join later. */
  int HISTORY_SIZE = 100;

  /**
   * Joins {@code room} as {@code username}. The listener starts receiving at once; the counts
   * every session sees include the new one soon after (counts go out at most once a second).
   *
   * @throws io.hlskit.core.ChatNameTakenException when a session in the room has the name,
   *     compared without regard to case
   * @throws io.hlskit.core.ChatException when the name or room is blank or the backend cannot be
   *     reached
   */
  ChatSession join(String room, String username, ChatListener listener);

  /**
   * Closes {@code room} for good, as when its channel is deleted: its history is deleted, every
   * session in it (on every instance) is told through {@link ChatListener#onRoomClosed} and
   * leaves. A room of the same name joined later starts empty. Idempotent.
   *
   * @throws io.hlskit.core.ChatException when the backend cannot be reached
   */
  void closeRoom(String room);

  /** The last messages of {@code room}, oldest first, at most {@value #HISTORY_SIZE}. */
  List<ChatMessage> history(String room);

  /** The counts for {@code room} now. */
  Presence presence(String room);

  /**
   * Deletes message {@code messageId} from {@code room}'s history; every session in the room (on
   * every instance) is told through {@link ChatListener#onMessageDeleted}. A message that is not
   * there is ignored.
   *
   * @throws io.hlskit.core.ChatException when the backend cannot be reached
   */
  void deleteMessage(String room, String messageId);

  /**
   * The room's moderation rules now ({@link ChatRules#NONE} when none were set). Servers ask on
   * every message: implementations answer from memory, refreshed when the rules change.
   *
   * @throws io.hlskit.core.ChatException when the backend cannot be reached
   */
  ChatRules rules(String room);

  /**
   * Replaces the room's rules, for every instance. They last until changed or the room is
   * closed.
   *
   * @throws io.hlskit.core.ChatException when the backend cannot be reached
   */
  void setRules(String room, ChatRules rules);

  /** Whether the backend is reachable now, for {@code /api/health}. */
  default boolean isAvailable() {
    return true;
  }

  /** Ends every session and releases the backend; idempotent. */
  @Override
  void close();
}
