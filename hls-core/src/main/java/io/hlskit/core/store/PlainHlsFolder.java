package io.hlskit.core.store;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Channels that are plain HLS folders: an entry {@code playlist.m3u8} with its segments (or its
 * variants' playlists) and no {@code channel.json}, as {@code ffmpeg -f hls} and most HLS
 * packagers write them. Such a folder dropped into a store is a channel like any other; its
 * metadata is derived from the playlists: the folder's name as id and title, the duration of the
 * (first) media playlist, a rendition per variant named by its height ({@code 720p}), and the
 * entry playlist's modification time as the creation time. Every store lists them this way.
 */
public final class PlainHlsFolder {
  private PlainHlsFolder() {}

  /**
   * The metadata of channel {@code channelId} derived from its playlists, or empty when it has no
   * entry playlist.
   *
   * @throws HlsException when the playlists cannot be read or parsed, or a variant points
   *     outside the channel
   */
  public static Optional<ChannelMetadata> derive(MediaStore store, String channelId) {
    StorageKeys.requireChannelId(channelId);
    Optional<StoredObject> entry = store.open(channelId + "/" + ChannelMetadata.ENTRY_PLAYLIST);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    ChannelMetadata.Builder b = ChannelMetadata.builder(channelId)
        .created(entry.get().info().lastModified());
    Playlist playlist = parse(entry.get());
    if (playlist instanceof MediaPlaylist media) {
      return Optional.of(b.duration(media.totalDuration()).build());
    }
    Duration duration = Duration.ZERO;
    int i = 0;
    for (Variant v : ((MultivariantPlaylist) playlist).variants()) {
      String key = channelId + "/" + v.uri();
      if (!StorageKeys.isValidKey(key) || StorageKeys.isReserved(key)) {
        throw new HlsException("variant " + v.uri() + " is not a playlist inside the channel");
      }
      if (duration.isZero()) {
        Optional<StoredObject> variant = store.open(key);
        if (variant.isPresent() && parse(variant.get()) instanceof MediaPlaylist media) {
          duration = media.totalDuration();
        }
      }
      String name = v.resolution().map(r -> r.height() + "p").orElse("v" + i);
      b.addRendition(new RenditionInfo(name, v.uri(), v.resolution(), v.bandwidth(),
          v.averageBandwidth().orElse(v.bandwidth()), v.codecs()));
      i++;
    }
    return Optional.of(b.duration(duration).build());
  }

  private static Playlist parse(StoredObject object) {
    try (InputStream in = object.stream()) {
      return PlaylistParser.lenient().parse(in);
    } catch (IOException e) {
      throw new HlsException("could not read " + object.info().key() + ": " + e, e);
    }
  }
}
