package io.hlskit.transcode;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Transcoder} takes in and how much work it does for one input: a guard against
 * hostile or runaway files. A transcode that crosses a limit fails with a {@link
 * io.hlskit.core.TranscodeException} that names it, and publishes nothing.
 *
 * <p>Inputs are opened from local files only (libav's {@code file} protocol) and read by one
 * of {@link #inputFormats}' demuxers; libav's other demuxers never see them. Manifests that name
 * other files or URLs (HLS, DASH, concat lists, image sequences) are not media files and are
 * refused before anything they name is opened. Widening the list is an explicit choice: {@link
 * #withInputFormats}.
 *
 * @param inputFormats libav demuxer names the input may be read by (a name matches a demuxer
 *     whose comma-separated names include it: {@code mov} reads MP4, MOV and M4A)
 * @param maxDuration the longest input taken: refused before decoding when its header says
 *     longer, stopped when decoding reaches it
 * @param maxOutputBytes the most a transcode may write, every rendition together
 * @param maxTime the longest a transcode may run, from start to publishing
 */
public record TranscodeLimits(Set<String> inputFormats, Duration maxDuration,
    long maxOutputBytes, Duration maxTime) {

  /**
   * The containers of video and sound files people upload: MP4/MOV/M4A, Matroska/WebM,
   * MPEG-TS, MPEG-PS, AVI, FLV, ASF/WMV, Ogg, WAV, FLAC, MP3, AAC (ADTS).
   */
  public static final Set<String> MEDIA_FILES = Set.of("mov", "matroska", "mpegts", "mpeg",
      "avi", "flv", "asf", "ogg", "wav", "flac", "mp3", "aac");

  /** The defaults: {@link #MEDIA_FILES}; 6 hours of input, 50 GB of output, 24 hours of work. */
  public static final TranscodeLimits DEFAULTS = new TranscodeLimits(MEDIA_FILES,
      Duration.ofHours(6), 50_000_000_000L, Duration.ofHours(24));

  public TranscodeLimits {
    inputFormats = Set.copyOf(Objects.requireNonNull(inputFormats, "inputFormats"));
    if (inputFormats.isEmpty()) {
      throw new IllegalArgumentException("inputFormats must name at least one libav demuxer");
    }
    for (String f : inputFormats) {
      if (!f.matches("[a-z0-9_]+")) {
        throw new IllegalArgumentException("inputFormats: '" + f + "' is not a libav demuxer"
            + " name (lower-case letters, digits and _)");
      }
    }
    positive(maxDuration, "maxDuration");
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
    }
    positive(maxTime, "maxTime");
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** These limits with other input formats (libav demuxer names). */
  public TranscodeLimits withInputFormats(Set<String> formats) {
    return new TranscodeLimits(formats, maxDuration, maxOutputBytes, maxTime);
  }

  /** These limits with another longest input. */
  public TranscodeLimits withMaxDuration(Duration duration) {
    return new TranscodeLimits(inputFormats, duration, maxOutputBytes, maxTime);
  }

  /** These limits with another output cap. */
  public TranscodeLimits withMaxOutputBytes(long bytes) {
    return new TranscodeLimits(inputFormats, maxDuration, bytes, maxTime);
  }

  /** These limits with another longest run. */
  public TranscodeLimits withMaxTime(Duration time) {
    return new TranscodeLimits(inputFormats, maxDuration, maxOutputBytes, time);
  }

  /** The formats as libav's {@code format_whitelist} option takes them. */
  String formatWhitelist() {
    return String.join(",", inputFormats.stream().sorted().toList());
  }
}
