package io.hlskit.chat.redis;

import io.hlskit.core.ChatException;
import io.hlskit.core.internal.OperationTimer;
import io.lettuce.core.RedisException;
import java.util.function.Supplier;

/**
 * Runs the chat's Redis commands: each timed as an operation, and a failure turned into a {@link
 * ChatException} that says what was being done, which Redis could not be reached and what to do.
 */
final class RedisCalls {
  private final OperationTimer metrics;
  private final String where;

  /** @param where the Redis server, as {@code host:port}, for messages */
  RedisCalls(OperationTimer metrics, String where) {
    this.metrics = metrics;
    this.where = where;
  }

  /** Runs {@code command}, timed as operation {@code op}; {@code action} says what for. */
  <T> T call(String op, String action, Supplier<T> command) {
    try {
      return metrics.time(op, command);
    } catch (RedisException e) {
      throw new ChatException("chat is unavailable: " + action + " failed because Redis at "
          + where + " cannot be reached (" + rootMessage(e) + "); try again shortly", e);
    }
  }

  /** The innermost cause's message: what Lettuce's wrappers say last is what went wrong. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
