package io.hlskit.core.ingest;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.Visibility;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A video to turn into a channel, as the server received it.
 *
 * @param file the uploaded file on local disk; the {@link IngestService} owns it from {@code
 *     submit} on and deletes it when the job ends, whatever the outcome
 * @param channelId the channel to publish
 * @param title the channel's title
 * @param profile the profile or ladder name ({@code low}, {@code medium}, {@code high},
 *     {@code source}, {@code abr}); the ingester decides which it knows
 * @param originalFilename the name the client gave the file, when it gave one
 * @param visibility whether the channel is public or private (its segments then encrypted)
 * @param quality how the video spends its bits: {@code bitrate}, each rendition at its bit rate,
 *     or {@code auto}, at a constant quality with the bit rate as a ceiling (easy pictures then
 *     take fewer bytes)
 */
public record IngestRequest(Path file, String channelId, String title, String profile,
    Optional<String> originalFilename, Visibility visibility, String quality) {
  /** The {@code quality} values: at the bit rate, or constant quality under it. */
  public static final java.util.Set<String> QUALITIES = java.util.Set.of("bitrate", "auto");

  public IngestRequest {
    Objects.requireNonNull(file, "file");
    StorageKeys.requireChannelId(channelId);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(originalFilename, "originalFilename");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(quality, "quality");
    if (!QUALITIES.contains(quality)) {
      throw new IllegalArgumentException("quality must be 'bitrate' or 'auto': " + quality);
    }
  }

  /** A request at the profile's bit rates. */
  public IngestRequest(Path file, String channelId, String title, String profile,
      Optional<String> originalFilename, Visibility visibility) {
    this(file, channelId, title, profile, originalFilename, visibility, "bitrate");
  }

  /** A request for a public channel. */
  public IngestRequest(Path file, String channelId, String title, String profile,
      Optional<String> originalFilename) {
    this(file, channelId, title, profile, originalFilename, Visibility.PUBLIC);
  }
}
