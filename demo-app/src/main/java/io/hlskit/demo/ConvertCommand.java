package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.ProgressListener;
import io.hlskit.transcode.SegmentFormat;
import io.hlskit.transcode.Thumbnails;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.VideoEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convert}: a video file into a channel, in-process ({@code convert video.mp4 canal1}). */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Transcodes a video (or a sound file, into an audio-only channel) into an HLS"
        + " channel in the streams folder (or a bucket). The profile may also come third:"
        + " convert video.mp4 canal1 medium.",
        "Every option also reads from the environment variable named in its description."})
final class ConvertCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<input>", description = "the video or sound file")
  Path input;

  @Parameters(index = "1", paramLabel = "<channel>",
      description = "channel id: 1-64 of a-z, 0-9, _ and -")
  String channel;

  @Parameters(index = "2", arity = "0..1", paramLabel = "<profile>",
      description = "low, medium, high, abr or source (the same as --profile)")
  String positionalProfile;

  @Option(names = "--profile", defaultValue = "${env:HLS_PROFILE:-medium}",
      description = "low (360p, 500 kb/s), medium (720p, 1500 kb/s), high (1080p, 3000 kb/s)"
          + ", abr (all three that do not upscale the source, one decode, a multivariant"
          + " playlist) or source (copied as it is, no re-encoding); HLS_PROFILE; default"
          + " ${DEFAULT-VALUE}")
  String profile;

  @Option(names = "--ladder", defaultValue = "${env:HLS_LADDER}",
      description = "renditions of your own instead of a profile, each the height in pixels"
          + " and the video bit rate in kb/s: 1080p:4500k,540p:1200k,240p:300k (HLS_LADDER);"
          + " those above the source are left out")
  String ladder;

  @Option(names = "--encoder", defaultValue = "${env:HLS_ENCODER:-h264}",
      description = "video encoder: h264 (libx264, or OpenH264 without the GPL natives), x264,"
          + " openh264 or x265 (HEVC; needs --format fmp4); HLS_ENCODER; default"
          + " ${DEFAULT-VALUE}")
  String encoder;

  @Option(names = "--preset", defaultValue = "${env:HLS_PRESET:-fast}",
      description = "encoder speed preset, ultrafast to veryslow: slower spends fewer bits for"
          + " the same picture (HLS_PRESET; default ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--quality", defaultValue = "${env:HLS_QUALITY:-bitrate}",
      description = "bitrate: each rendition at its bit rate; auto: at a constant quality with"
          + " its bit rate as a ceiling, so easy pictures (slides, talks, animation) take far"
          + " fewer bytes (HLS_QUALITY; default ${DEFAULT-VALUE})")
  String quality;

  @Option(names = "--thumbnails", negatable = true, defaultValue = "${env:HLS_THUMBNAILS}",
      description = "thumbnails for scrubbing (one every 10 s, 320 px, in 10x10 JPEG sheets,"
          + " with an image playlist and a WebVTT track): on by default for abr and ladders,"
          + " off for a single rendition; --no-thumbnails turns them off (HLS_THUMBNAILS)")
  Boolean thumbnails;

  @Option(names = "--title", defaultValue = "${env:HLS_TITLE}",
      description = "the channel's title (HLS_TITLE; default: the channel id)")
  String title;

  @Mixin
  StorageOptions storage;

  @Option(names = "--segment-seconds", defaultValue = "${env:HLS_SEGMENT_SECONDS:-6}",
      description = "target segment length in seconds (HLS_SEGMENT_SECONDS; default"
          + " ${DEFAULT-VALUE})")
  int segmentSeconds;

  @Option(names = "--replace", defaultValue = "${env:HLS_REPLACE:-false}",
      description = "replace the channel when it exists already (HLS_REPLACE); without it, an"
          + " existing channel is left alone and the convert fails")
  boolean replace;

  @Option(names = "--format", defaultValue = "${env:HLS_FORMAT:-ts}",
      description = "segment container: ts (MPEG-TS, every player) or fmp4 (fragmented MP4 /"
          + " CMAF); HLS_FORMAT; default ${DEFAULT-VALUE}")
  String format;

  @Option(names = "--private", defaultValue = "${env:HLS_PRIVATE:-false}",
      description = "a private channel: listed and played only with a token, its segments"
          + " encrypted with AES-128 (HLS_PRIVATE)")
  boolean privateChannel;

  @Option(names = "--key-rotation", defaultValue = "${env:HLS_KEY_ROTATION:-0}",
      description = "with --private, a new key every this many segments; 0 (default) keeps one"
          + " key for the channel (HLS_KEY_ROTATION)")
  int keyRotation;

  /** Whether {@code id} is a channel: published, or a plain HLS folder. */
  private static boolean exists(MediaStore store, String id) {
    return store.channelMetadata(id).isPresent()
        || store.open(id + "/" + ChannelMetadata.ENTRY_PLAYLIST).isPresent();
  }

  /**
   * The profile or {@code --ladder}, with {@code --encoder}, {@code --preset} and {@code
   * --quality}.
   */
  private Ladder ladder() {
    if (ladder != null && positionalProfile != null) {
      throw new IllegalArgumentException("give a profile or --ladder, not both");
    }
    Ladder chosen = Ladder.parse(ladder != null ? ladder
        : positionalProfile != null ? positionalProfile : profile);
    VideoEncoder videoEncoder = VideoEncoder.of(encoder);
    if (chosen.remux()) {
      return chosen;
    }
    Ladder encoded = new Ladder(chosen.renditions().stream()
        .map(r -> r.toBuilder().encoder(videoEncoder).preset(preset).build()).toList(),
        false, chosen.audioBitrate());
    return switch (quality.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "auto" -> encoded.withAutoQuality();
      case "bitrate" -> encoded;
      default -> throw new IllegalArgumentException("unknown --quality '" + quality
          + "': use bitrate (each rendition at its bit rate) or auto (constant quality, the"
          + " bit rate as a ceiling)");
    };
  }

  @Override
  public Integer call() {
    try {
      Ladder chosen = ladder();
      TranscodeRequest.Builder builder = TranscodeRequest.builder(input, channel)
          .ladder(chosen)
          .title(title)
          .segmentDuration(Duration.ofSeconds(segmentSeconds))
          .format(SegmentFormat.of(format))
          .visibility(privateChannel ? Visibility.PRIVATE : Visibility.PUBLIC)
          .keyRotation(keyRotation);
      if (thumbnails != null) {
        builder.thumbnails(thumbnails ? Thumbnails.DEFAULT : null);
      }
      TranscodeRequest request = builder.build();
      long started = System.nanoTime();
      ChannelMetadata published;
      try (MediaStore store = storage.openStore()) {
        if (!replace && exists(store, channel)) {
          spec.commandLine().getErr().println("convert failed: channel " + channel + " exists"
              + " already in " + storage.describe(channel).replace("/playlist.m3u8", "")
              + "; add --replace to replace it, or choose another channel id");
          return 1;
        }
        Transcoder transcoder = Transcoder.builder().workDirectory(storage.workDirectory())
            .build();
        if (System.console() != null) {
          try (ProgressBar bar = new ProgressBarBuilder().setTaskName(channel).setInitialMax(1000)
              .setStyle(ProgressBarStyle.ASCII).setUnit("%", 10).build()) {
            published = transcoder.transcode(request, store, p -> {
              bar.stepTo(Math.round(p.fraction() * 1000));
              bar.setExtraMessage(String.format("%.1fx", p.speed()));
            });
          }
        } else {
          published = transcoder.transcode(request, store, ProgressListener.none());
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      spec.commandLine().getOut().printf("converted %s into channel %s (%s, %.1f s) in"
          + " %.1f s: %s%n", input, published.id(), published.renditions().stream()
              .map(r -> r.name()).collect(java.util.stream.Collectors.joining(" + ")),
          published.duration().toMillis() / 1000.0,
          seconds, storage.describe(published.id()));
      return 0;
    } catch (HlsException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("convert failed: " + Main.withOptions(e.getMessage()));
      return 1;
    }
  }
}
