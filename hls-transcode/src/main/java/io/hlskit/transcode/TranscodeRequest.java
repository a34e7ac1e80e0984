package io.hlskit.transcode;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.Visibility;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to transcode into which channel. Build one with {@link #builder}.
 *
 * @param input the video file (any container and codec libav reads)
 * @param channelId the channel to publish
 * @param title the channel's title; the channel id when not given
 * @param ladder the renditions to make
 * @param segmentDuration the target segment length, 6 s by default (Apple's recommendation)
 * @param format the segments' container, MPEG-TS by default
 * @param sourceName the original file name to record in {@code channel.json}
 * @param visibility public (the default), or private: every segment encrypted with AES-128 under
 *     a key of the channel's own, kept in the channel's {@code keys/} folder
 * @param keyRotation for a private channel, a new key every this many segments; 0 (the default)
 *     for one key for the whole channel
 * @param thumbnails thumbnails for scrubbing, made from the same decode; by default {@link
 *     Thumbnails#DEFAULT} for a ladder of several renditions, none otherwise; a remux, which
 *     decodes nothing, makes none
 */
public record TranscodeRequest(Path input, String channelId, String title, Ladder ladder,
    Duration segmentDuration, SegmentFormat format, Optional<String> sourceName,
    Visibility visibility, int keyRotation, Optional<Thumbnails> thumbnails) {
  public TranscodeRequest {
    Objects.requireNonNull(input, "input");
    StorageKeys.requireChannelId(channelId);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(ladder, "ladder");
    Objects.requireNonNull(segmentDuration, "segmentDuration");
    if (segmentDuration.compareTo(Duration.ofSeconds(1)) < 0
        || segmentDuration.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("segment duration must be 1 to 60 s: " + segmentDuration);
    }
    Objects.requireNonNull(format, "format");
    if (format == SegmentFormat.TS && ladder.renditions().stream()
        .anyMatch(r -> r.encoder().isHevc())) {
      throw new IllegalArgumentException("HEVC renditions need fragmented MP4 segments (HLS"
          + " carries HEVC only in fMP4): choose SegmentFormat.FMP4 (--format fmp4)");
    }
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(thumbnails, "thumbnails");
    if (keyRotation < 0) {
      throw new IllegalArgumentException("key rotation must be 0 (one key) or a number of"
          + " segments: " + keyRotation);
    }
  }

  /** A builder for transcoding {@code input} into channel {@code channelId}. */
  public static Builder builder(Path input, String channelId) {
    return new Builder(input, channelId);
  }

  /** Builds a {@link TranscodeRequest}; not thread-safe. */
  public static final class Builder {
    private final Path input;
    private final String channelId;
    private String title;
    private Ladder ladder = Ladder.of(Profile.MEDIUM);
    private Duration segmentDuration = Duration.ofSeconds(6);
    private SegmentFormat format = SegmentFormat.TS;
    private String sourceName;
    private Visibility visibility = Visibility.PUBLIC;
    private int keyRotation;
    private Optional<Thumbnails> thumbnails;

    private Builder(Path input, String channelId) {
      this.input = input;
      this.channelId = channelId;
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** One rendition of {@code profile}; medium by default. */
    public Builder profile(Profile profile) {
      this.ladder = Ladder.of(profile);
      return this;
    }

    /** Several renditions from one decode, such as {@link Ladder#ABR}. */
    public Builder ladder(Ladder ladder) {
      this.ladder = Objects.requireNonNull(ladder, "ladder");
      return this;
    }

    public Builder segmentDuration(Duration segmentDuration) {
      this.segmentDuration = segmentDuration;
      return this;
    }

    /** The segments' container: MPEG-TS (default) or fragmented MP4. */
    public Builder format(SegmentFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** The original file name, when the input is a temporary copy (an upload). */
    public Builder sourceName(String sourceName) {
      this.sourceName = sourceName;
      return this;
    }

    /** Public (the default) or private: a private channel's segments are encrypted. */
    public Builder visibility(Visibility visibility) {
      this.visibility = Objects.requireNonNull(visibility, "visibility");
      return this;
    }

    /**
     * For a private channel, a new key every {@code segments} segments (the same segments in
     * every rendition); 0, the default, keeps one key for the whole channel.
     */
    public Builder keyRotation(int segments) {
      this.keyRotation = segments;
      return this;
    }

    /**
     * Thumbnails for scrubbing as {@code thumbnails} says, or none for null; by default {@link
     * Thumbnails#DEFAULT} for a ladder of several renditions (they cost under 5 % of its time),
     * none for a single rendition or a remux.
     */
    public Builder thumbnails(Thumbnails thumbnails) {
      this.thumbnails = Optional.ofNullable(thumbnails);
      return this;
    }

    public TranscodeRequest build() {
      String name = sourceName != null ? sourceName
          : input.getFileName() == null ? null : input.getFileName().toString();
      Optional<Thumbnails> tiles = thumbnails != null ? thumbnails
          : ladder.isAdaptive() ? Optional.of(Thumbnails.DEFAULT) : Optional.empty();
      return new TranscodeRequest(input, channelId, title == null ? channelId : title, ladder,
          segmentDuration, format, Optional.ofNullable(name), visibility, keyRotation, tiles);
    }
  }
}
