package io.hlskit.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client, one address and one room may do on the chat WebSocket, so that no one of them
 * can flood the others: beyond a limit, the client gets an error frame ({@code rate_limited},
 * {@code room_busy}) and the frame is dropped; beyond {@link #connectionsPerAddress}, the
 * connection is closed at once ({@code too_many_connections}).
 *
 * <p>An address is the client's IP address, or behind a proxy the one the proxy names in {@code
 * X-Forwarded-For} when the proxy is one of {@link HlsServer.Builder#trustedProxies}.
 *
 * @param messagesPerConnection messages one connection may send
 * @param messagesPerAddress messages all the connections of one address may send together
 * @param messagesPerRoom messages a room takes from everyone together (its history of 100
 *     then lasts 100 divided by this rate at least)
 * @param joinsPerConnection joins (and renames) one connection may make; each costs the room's
 *     members a count update and the joiner its history
 * @param connectionsPerAddress chat connections open at once from one address
 */
public record ChatLimits(Rate messagesPerConnection, Rate messagesPerAddress,
    Rate messagesPerRoom, Rate joinsPerConnection, int connectionsPerAddress) {

  /**
   * At most {@code count} in any {@code per}.
   *
   * @param count how many, 1 or more
   * @param per the window, positive
   */
  public record Rate(int count, Duration per) {
    public Rate {
      if (count < 1) {
        throw new IllegalArgumentException("a rate's count must be 1 or more: " + count);
      }
      Objects.requireNonNull(per, "per");
      if (per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException("a rate's window must be positive: " + per);
      }
    }

    /** {@code count} in any {@code per}. */
    public static Rate of(int count, Duration per) {
      return new Rate(count, per);
    }

    /** "5 messages every 5 s", for error frames. */
    public String describe(String what) {
      long ms = per.toMillis();
      String window = ms % 1000 == 0 ? (ms == 1000 ? "second" : ms / 1000 + " s") : ms + " ms";
      return count + " " + what + " every " + window;
    }
  }

  /**
   * 5 messages every 5 s a connection, 10 every 5 s an address, 10 a second a room; 3 joins
   * every 10 s a connection; 20 connections an address.
   */
  public static final ChatLimits DEFAULTS = new ChatLimits(
      Rate.of(5, Duration.ofSeconds(5)), Rate.of(10, Duration.ofSeconds(5)),
      Rate.of(10, Duration.ofSeconds(1)), Rate.of(3, Duration.ofSeconds(10)), 20);

  public ChatLimits {
    Objects.requireNonNull(messagesPerConnection, "messagesPerConnection");
    Objects.requireNonNull(messagesPerAddress, "messagesPerAddress");
    Objects.requireNonNull(messagesPerRoom, "messagesPerRoom");
    Objects.requireNonNull(joinsPerConnection, "joinsPerConnection");
    if (connectionsPerAddress < 1) {
      throw new IllegalArgumentException("connectionsPerAddress must be 1 or more: "
          + connectionsPerAddress);
    }
  }

  /** These limits with another per-connection message rate. */
  public ChatLimits withMessagesPerConnection(Rate rate) {
    return new ChatLimits(rate, messagesPerAddress, messagesPerRoom, joinsPerConnection,
        connectionsPerAddress);
  }

  /** These limits with another per-address message rate. */
  public ChatLimits withMessagesPerAddress(Rate rate) {
    return new ChatLimits(messagesPerConnection, rate, messagesPerRoom, joinsPerConnection,
        connectionsPerAddress);
  }

  /** These limits with another per-room message rate. */
  public ChatLimits withMessagesPerRoom(Rate rate) {
    return new ChatLimits(messagesPerConnection, messagesPerAddress, rate, joinsPerConnection,
        connectionsPerAddress);
  }

  /** These limits with another join rate. */
  public ChatLimits withJoinsPerConnection(Rate rate) {
    return new ChatLimits(messagesPerConnection, messagesPerAddress, messagesPerRoom, rate,
        connectionsPerAddress);
  }

  /** These limits with another cap on connections from one address. */
  public ChatLimits withConnectionsPerAddress(int connections) {
    return new ChatLimits(messagesPerConnection, messagesPerAddress, messagesPerRoom,
        joinsPerConnection, connections);
  }
}
