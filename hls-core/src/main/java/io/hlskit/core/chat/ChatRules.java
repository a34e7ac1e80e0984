package io.hlskit.core.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A room's moderation: slow mode and who is muted until when. Kept by the broker, so that every
 * server instance of a room enforces the same rules; the server enforces them on each message.
 *
 * @param slowMode the least time between two messages of one client; zero for none
 * @param mutedNames chat names (folded, {@link ChatNames#fold}) that may not send, until when
 * @param mutedAddresses client addresses that may not send, until when
 */
public record ChatRules(Duration slowMode, Map<String, Instant> mutedNames,
    Map<String, Instant> mutedAddresses) {

  /** The longest slow mode and mute taken: a day. */
  public static final Duration LONGEST = Duration.ofDays(1);

  /** No slow mode, no one muted. */
  public static final ChatRules NONE = new ChatRules(Duration.ZERO, Map.of(), Map.of());

  public ChatRules {
    Objects.requireNonNull(slowMode, "slowMode");
    if (slowMode.isNegative() || slowMode.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("slowMode must be 0 to 1 day: " + slowMode);
    }
    // to the millisecond, as every broker stores them: rules read back equal rules set
    mutedNames = toMillis(mutedNames);
    mutedAddresses = toMillis(mutedAddresses);
  }

  private static Map<String, Instant> toMillis(Map<String, Instant> muted) {
    Map<String, Instant> m = new java.util.HashMap<>();
    muted.forEach((k, v) -> m.put(k, Instant.ofEpochMilli(v.toEpochMilli())));
    return Map.copyOf(m);
  }

  /** Whether {@code name} or {@code address} is muted at {@code now}; until when, or null. */
  public Instant mutedUntil(String name, String address, Instant now) {
    Instant byName = name == null ? null : mutedNames.get(ChatNames.fold(name));
    Instant byAddress = address == null ? null : mutedAddresses.get(address);
    Instant until = byName == null ? byAddress
        : byAddress == null || byName.isAfter(byAddress) ? byName : byAddress;
    return until != null && until.isAfter(now) ? until : null;
  }

  /** These rules with another slow mode. */
  public ChatRules withSlowMode(Duration slowMode) {
    return new ChatRules(slowMode, mutedNames, mutedAddresses);
  }

  /**
   * These rules with {@code name} muted for {@code time} from {@code now} (zero lifts it); mutes
   * that ended are dropped.
   */
  public ChatRules withMutedName(String name, Duration time, Instant now) {
    return new ChatRules(slowMode, muted(mutedNames, ChatNames.fold(name), time, now),
        mutedAddresses);
  }

  /** These rules with {@code address} muted for {@code time} from {@code now} (zero lifts it). */
  public ChatRules withMutedAddress(String address, Duration time, Instant now) {
    return new ChatRules(slowMode, mutedNames, muted(mutedAddresses, address, time, now));
  }

  private static Map<String, Instant> muted(Map<String, Instant> before, String key,
      Duration time, Instant now) {
    if (time.isNegative() || time.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("a mute lasts 0 to 1 day: " + time);
    }
    Map<String, Instant> after = new HashMap<>();
    before.forEach((k, until) -> {
      if (until.isAfter(now)) {
        after.put(k, until);
      }
    });
    if (time.isZero()) {
      after.remove(key);
    } else {
      after.put(key, now.plus(time));
    }
    return after;
  }
}
