package io.hlskit.server.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is watching: the players that fetched a playlist or a segment of each channel within the
 * window (30 s by default), told apart by a session id (the page's {@code session} query
 * parameter or the {@code hlskit_session} cookie; else the address and user agent). Bounded: a
 * channel counts at most {@value #MAX_SESSIONS} players, and only published channels are counted
 * (the caller checks). Thread-safe; {@link #prune} runs every few seconds.
 */
public final class Viewers {
  static final int MAX_SESSIONS = 100_000;

  private final long windowNanos;
  /** How stale a player's time may get before it is written again: a tenth of the window. */
  private final long refreshNanos;
  private final Map<String, Map<String, Long>> channels = new ConcurrentHashMap<>();

  public Viewers(long windowNanos) {
    this.windowNanos = windowNanos;
    this.refreshNanos = windowNanos / 10;
  }

  /** Player {@code session} fetched something of {@code channel} now. */
  void seen(String channel, String session) {
    Map<String, Long> sessions = channels.get(channel);
    if (sessions == null) {
      sessions = channels.computeIfAbsent(channel, c -> new ConcurrentHashMap<>());
    }
    long now = System.nanoTime();
    // a player fetches many times a window: most requests only read (no lock, no write)
    Long last = sessions.get(session);
    if (last != null ? now - last > refreshNanos : sessions.size() < MAX_SESSIONS) {
      sessions.put(session, now);
    }
  }

  /** How many players fetched something of {@code channel} within the window. */
  public int count(String channel) {
    Map<String, Long> sessions = channels.get(channel);
    if (sessions == null) {
      return 0;
    }
    long since = System.nanoTime() - windowNanos;
    int n = 0;
    for (long at : sessions.values()) {
      if (at - since > 0) {
        n++;
      }
    }
    return n;
  }

  /** Channels with viewers now, most watched first. */
  List<Map.Entry<String, Integer>> ranked() {
    List<Map.Entry<String, Integer>> list = new ArrayList<>();
    for (String channel : channels.keySet()) {
      int n = count(channel);
      if (n > 0) {
        list.add(Map.entry(channel, n));
      }
    }
    list.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
    return list;
  }

  /** Forgets players gone for longer than the window, and channels nobody watches. */
  void prune() {
    long since = System.nanoTime() - windowNanos;
    channels.values().forEach(s -> s.values().removeIf(at -> at - since <= 0));
    channels.values().removeIf(Map::isEmpty);
  }
}
