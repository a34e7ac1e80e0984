package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input of a transcode: the file opened, its video and audio streams chosen (cover art is
 * not video), their decoders open, and what the renditions need to know of the pictures (time
 * base, frame rate, rotation, display size).
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
final class Source implements AutoCloseable {
  /** The largest picture taken: 16K on a side, and no more pixels than 8K UHD. */
  static final int MAX_SIDE = 16_384;
  static final long MAX_PIXELS = 7680L * 4320;

  private static final Logger LOG = LoggerFactory.getLogger(Source.class);

  final String name;
  AVFormatContext in;
  AVCodecContext videoDecoder;
  AVCodecContext audioDecoder;
  int videoIndex = -1;
  int audioIndex = -1;
  private int coverIndex = -1;
  AVRational timeBase;
  AVRational frameRate;
  /** Turns pictures upright; null when the stream says they are. */
  Rotator rotator;

  private final InputRules rules;

  Source(String name, InputRules rules) {
    this.name = name;
    this.rules = rules;
  }

  /** Opens the input and the decoders of its streams. */
  void open() {
    Libav.openInput(name, rules, opened -> in = opened);
    openStreams();
  }

  /**
   * Takes an input opened elsewhere (a live stream through a custom I/O context), its stream
   * information read, and opens the decoders of its streams; {@link #close} closes it.
   */
  void open(AVFormatContext opened) {
    in = opened;
    openStreams();
  }

  private void openStreams() {
    videoIndex = Libav.videoStream(in);
    audioIndex = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, videoIndex, (AVCodec) null, 0);
    if (videoIndex < 0 && audioIndex < 0) {
      throw new TranscodeException(name + " has neither a video nor an audio stream; upload a"
          + " video (MP4, MOV, MKV, WebM, TS) or a sound file");
    }
    if (videoIndex >= 0) {
      AVStream stream = in.streams(videoIndex);
      checkPictureSize(stream.codecpar());
      videoDecoder = openDecoder(stream, "video");
      timeBase = stream.time_base();
      frameRate = av_guess_frame_rate(in, stream, null);
      if (frameRate.num() <= 0 || frameRate.den() <= 0) {
        frameRate = av_make_q(25, 1);
      }
      int rotation = Rotator.degrees(stream.codecpar());
      if (rotation != 0) {
        rotator = new Rotator(rotation, timeBase, name);
      }
    } else {
      coverIndex = Libav.coverArtStream(in);
    }
    if (audioIndex >= 0) {
      audioDecoder = openDecoder(in.streams(audioIndex), "audio");
    }
  }

  boolean hasVideo() {
    return videoDecoder != null;
  }

  boolean hasAudio() {
    return audioDecoder != null;
  }

  /** The input's duration in microseconds, 0 when unknown or not open yet. */
  long durationMicros() {
    return in == null || in.duration() == AV_NOPTS_VALUE ? 0 : in.duration();
  }

  /** One frame's duration in the video's time base, 1 at least. */
  long frameDurationTicks() {
    if (frameRate.num() <= 0 || timeBase.num() <= 0) {
      return 1;
    }
    return Math.max(1, Math.round((double) frameRate.den() * timeBase.den()
        / ((double) frameRate.num() * timeBase.num())));
  }

  /** The picture's size as shown: sample aspect applied, sides swapped by a quarter turn. */
  double[] displaySize() {
    int w = videoDecoder.width();
    int h = videoDecoder.height();
    if (w <= 0 || h <= 0) {
      throw new TranscodeException(name + " declares no picture size (" + w + "x" + h + ")");
    }
    AVRational sar = in.streams(videoIndex).sample_aspect_ratio();
    double displayW = w;
    if (sar.num() > 0 && sar.den() > 0) {
      displayW = w * av_q2d(sar);
    }
    double displayH = h;
    if (rotator != null && rotator.swapsSides()) {
      return new double[] {displayH, displayW};
    }
    return new double[] {displayW, displayH};
  }

  /** The size of the decoded pictures once upright: what each rendition scales from. */
  int[] uprightSize() {
    boolean swap = rotator != null && rotator.swapsSides();
    return swap ? new int[] {videoDecoder.height(), videoDecoder.width()}
        : new int[] {videoDecoder.width(), videoDecoder.height()};
  }

  /**
   * The audio file's cover art as a JPEG poster, at most {@link Poster#COVER_SIDE} on its long
   * side; null when there is none or it cannot be decoded (a song without its picture plays).
   */
  byte[] coverArt() {
    if (coverIndex < 0) {
      return null;
    }
    AVStream stream = in.streams(coverIndex);
    try {
      return Poster.fromPacket(stream.codecpar(), stream.attached_pic(), Poster.COVER_SIDE,
          name);
    } catch (TranscodeException e) {
      LOG.warn("no poster from the cover art of {}: {}", name, e.getMessage());
      return null;
    }
  }

  private void checkPictureSize(AVCodecParameters declared) {
    int w = declared.width();
    int h = declared.height();
    if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
      // a header can claim any size; decoding it would ask for that much memory per frame
      throw new TranscodeException(name + " declares a picture of " + w + "x" + h
          + ", more than hlskit takes (" + MAX_SIDE + " pixels on a side, 8K in all);"
          + " is the file damaged?");
    }
  }

  private AVCodecContext openDecoder(AVStream stream, String kind) {
    AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
    if (codec == null) {
      throw new TranscodeException("no " + kind + " decoder in libav for the codec of " + name
          + " (" + avcodec_get_name(stream.codecpar().codec_id()).getString() + ")");
    }
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    try {
      Libav.check(avcodec_parameters_to_context(ctx, stream.codecpar()),
          "setting up the " + kind + " decoder of", name);
      ctx.pkt_timebase(stream.time_base());
      ctx.thread_count(0);
      Libav.check(avcodec_open2(ctx, codec, (AVDictionary) null),
          "opening the " + kind + " decoder of", name);
      return ctx;
    } catch (RuntimeException e) {
      avcodec_free_context(ctx);
      throw e;
    }
  }

  @Override
  public void close() {
    if (rotator != null) {
      rotator.close();
    }
    if (videoDecoder != null) {
      avcodec_free_context(videoDecoder);
    }
    if (audioDecoder != null) {
      avcodec_free_context(audioDecoder);
    }
    if (in != null) {
      avformat_close_input(in);
    }
  }
}
