package io.hlskit.demo.examples;

import io.hlskit.core.linear.LinearTimeline;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Two stored videos played one after the other, looped, as a live channel. */
public class LinearChannel {
  /**
   * The live playlist of the schedule at {@code now}: the last six segments on air, read from
   * the two videos' own playlists; empty before the start. Served next to the videos' folders
   * ({@code /streams/news/} beside {@code /streams/a/}), so "../a/" reaches their segments.
   */
  public static Optional<String> liveAt(String playlistOfA, String playlistOfB, Instant now) {
    Schedule schedule = Schedule.of(Instant.parse("2026-11-28T00:00:00Z"), true, "a", "b");
    PlaylistParser parser = PlaylistParser.strict();
    LinearTimeline timeline = LinearTimeline.of(schedule, List.of(   // build once, ask often
        new LinearTimeline.Source(0, parser.parseMedia(playlistOfA), "../a/"),
        new LinearTimeline.Source(1, parser.parseMedia(playlistOfB), "../b/")));
    Optional<MediaPlaylist> live = timeline.playlistAt(now, LinearTimeline.DEFAULT_WINDOW);
    return live.map(PlaylistWriter::write);   // the same text on every server at that instant
  }
}
