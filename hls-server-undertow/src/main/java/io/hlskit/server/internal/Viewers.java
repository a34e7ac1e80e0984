package io.hlskit.server.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is watching: the players that fetched a playlist or a segment of each channel within the
 * window (30 s by default), told apart by a session id (the page's {@code session} query
 * parameter or the {@code hlskit_session} cookie; else the address and user agent). Bounded: a
 * channel counts at most {@value #MAX_SESSIONS} players, and only published channels are counted
 * (the caller checks). Thread-safe; {@link #prune} runs every few seconds and makes the counts.
 */
public final class Viewers {
  static final int MAX_SESSIONS = 100_000;

  private final long windowNanos;
  /** How stale a player's time may get before it is written again: a tenth of the window. */
  private final long refreshNanos;
  private final Map<String, Map<String, Long>> channels = new ConcurrentHashMap<>();
  /** Players per channel at the last prune. */
  private volatile Map<String, Integer> counts = Map.of();

  public Viewers(long windowNanos) {
    this.windowNanos = windowNanos;
    this.refreshNanos = windowNanos / 10;
  }

  /**
   * How long a player's last recorded fetch stays fresh enough not to be written again: a tenth
   * of the window.
   */
  long refreshNanos() {
    return refreshNanos;
  }

  /** Player {@code session} fetched something of {@code channel} at {@code now} (nanoTime). */
  void seen(String channel, String session, long now) {
    Map<String, Long> sessions = channels.get(channel);
    if (sessions == null) {
      sessions = channels.computeIfAbsent(channel, c -> new ConcurrentHashMap<>());
    }
    // a player fetches many times a window: most requests only read (no lock, no write)
    Long last = sessions.get(session);
    if (last != null ? now - last > refreshNanos : sessions.size() < MAX_SESSIONS) {
      sessions.put(session, now);
    }
  }

  /**
   * How many players fetched something of {@code channel} within the window, as of the last
   * {@link #prune} (a few seconds ago at most): answering the channel list never walks the
   * sessions.
   */
  public int count(String channel) {
    return counts.getOrDefault(channel, 0);
  }

  /** Channels with viewers as of the last {@link #prune}, most watched first. */
  List<Map.Entry<String, Integer>> ranked() {
    List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
    list.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    return list;
  }

  /**
   * Forgets players gone for longer than the window and channels nobody watches, and counts
   * those left.
   */
  void prune() {
    long since = System.nanoTime() - windowNanos;
    Map<String, Integer> now = new HashMap<>();
    channels.forEach((channel, sessions) -> {
      sessions.values().removeIf(at -> at - since <= 0);
      if (!sessions.isEmpty()) {
        now.put(channel, sessions.size());
      }
    });
    channels.values().removeIf(Map::isEmpty);
    counts = Map.copyOf(now);
  }
}
