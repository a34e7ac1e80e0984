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
 */
public record IngestRequest(Path file, String channelId, String title, String profile,
    Optional<String> originalFilename, Visibility visibility) {
  public IngestRequest {
    Objects.requireNonNull(file, "file");
    StorageKeys.requireChannelId(channelId);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(originalFilename, "originalFilename");
    Objects.requireNonNull(visibility, "visibility");
  }

  /** A request for a public channel. */
  public IngestRequest(Path file, String channelId, String title, String profile,
      Optional<String> originalFilename) {
    this(file, channelId, title, profile, originalFilename, Visibility.PUBLIC);
  }
}
