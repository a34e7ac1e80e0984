package io.hlskit.transcode.internal.live;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A broadcast that ended, as a recording: the video on demand of every segment it sent, in VOD
 * playlists (ENDLIST, the whole broadcast from its first segment).
 */
final class LiveRecordings {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")
      .withZone(ZoneOffset.UTC);

  private LiveRecordings() {}

  /** The VOD playlist of {@code segments}. */
  static MediaPlaylist vod(List<MediaSegment> segments, int targetDuration) {
    return MediaPlaylist.builder()
        .playlistType(PlaylistType.VOD)
        .independentSegments(true)
        .targetDuration(targetDuration)
        .segments(segments)
        .endList(true)
        .build();
  }

  /** The id of the recording of {@code live}'s broadcast that started at {@code started}. */
  static String archiveId(String live, Instant started) {
    String stamp = "-" + STAMP.format(started);
    String base = live.length() + stamp.length() > 64 ? live.substring(0, 64 - stamp.length())
        : live;
    return StorageKeys.requireChannelId(base + stamp);
  }

  /**
   * Publishes the recording of {@code live}'s broadcast as a channel of its own on demand,
   * {@code <id>-<yyyyMMdd-HHmm>}: its segments copied from the live channel, VOD playlists, the
   * live channel's multivariant playlist and poster. Nothing is visible until it is whole.
   *
   * @param recorded each rendition's segments, by rendition name
   * @return the recording's metadata
   */
  static ChannelMetadata archive(MediaStore store, ChannelMetadata live,
      Map<String, List<MediaSegment>> recorded, Map<String, Integer> targetDurations,
      Instant started) {
    String id = archiveId(live.id(), started);
    Duration total = Duration.ZERO;
    try (ChannelDraft draft = store.draft(id)) {
      java.util.Set<String> copied = new java.util.HashSet<>();
      for (Map.Entry<String, List<MediaSegment>> r : recorded.entrySet()) {
        for (MediaSegment s : r.getValue()) {
          // a shed rendition's playlist carries a lower one's segments, as ../<rendition>/...
          String path = s.uri().startsWith("../") ? s.uri().substring(3)
              : r.getKey() + "/" + s.uri();
          copy(store, live.id() + "/" + path, draft, path);
          // in fragmented MP4, each session's initialization section once
          if (s.map().isPresent()) {
            String uri = s.map().get().uri();
            String map = uri.startsWith("../") ? uri.substring(3) : r.getKey() + "/" + uri;
            if (copied.add(map)) {
              copy(store, live.id() + "/" + map, draft, map);
            }
          }
        }
        MediaPlaylist p = vod(r.getValue(), targetDurations.getOrDefault(r.getKey(), 2));
        draft.write(r.getKey() + "/index.m3u8",
            PlaylistWriter.write(p).getBytes(StandardCharsets.UTF_8));
        total = p.totalDuration().compareTo(total) > 0 ? p.totalDuration() : total;
      }
      copy(store, live.id() + "/" + ChannelMetadata.ENTRY_PLAYLIST, draft,
          ChannelMetadata.ENTRY_PLAYLIST);
      Optional<String> poster = live.poster();
      if (poster.isPresent() && !copy(store, live.id() + "/" + poster.get(), draft,
          poster.get())) {
        poster = Optional.empty();
      }
      ChannelMetadata m = live.toBuilder().live(null)
          .title(live.title() + " (" + started.atZone(ZoneOffset.UTC).toLocalDate() + ")")
          .duration(total).created(Instant.now()).poster(poster.orElse(null))
          .source("live broadcast of " + live.id() + " from " + started).build();
      ChannelMetadata published = ChannelMetadata.builder(id).title(m.title())
          .duration(m.duration()).playlist(m.playlist()).created(m.created())
          .visibility(m.visibility()).source(m.source().orElse(null))
          .poster(m.poster().orElse(null)).build();
      ChannelMetadata.Builder b = published.toBuilder();
      m.renditions().forEach(b::addRendition);
      published = b.build();
      draft.publish(published);
      return published;
    }
  }

  /** Copies one object into the draft; false when it is not there. */
  private static boolean copy(MediaStore store, String from, ChannelDraft draft, String to) {
    Optional<ObjectStream> o = store.read(from);
    if (o.isEmpty()) {
      return false;
    }
    try (ObjectStream s = o.get(); InputStream in = s.content()) {
      draft.write(to, in);
      return true;
    } catch (IOException e) {
      throw new StorageException("copying " + from + " into a recording failed: " + e, e);
    }
  }
}
