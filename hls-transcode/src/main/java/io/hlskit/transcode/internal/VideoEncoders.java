package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * A rendition's video encoder and scaler, set up alike for files and for live: keyframes only
 * where segments start (forced there, never from scene cuts, closed GOPs), the bit rate capped by
 * the rendition's ceiling and buffer, H.264 High profile. Live adds x264's {@code zerolatency}
 * (no lookahead, no frame threads: a picture in, its packet out) and takes no quality target.
 */
final class VideoEncoders {
  private VideoEncoders() {}

  /**
   * Opens the encoder of {@code spec} for {@code width x height} pictures; freed by the caller
   * ({@code avcodec_free_context}), or here when it cannot be opened.
   *
   * @param globalHeader parameter sets in the extradata (fMP4's init section) rather than in
   *     every keyframe (MPEG-TS)
   */
  static AVCodecContext open(EncodeSettings.Rendition spec, int width, int height,
      AVRational timeBase, AVRational frameRate, double segmentSeconds, boolean live,
      boolean globalHeader, String name) {
    AVCodec codec = avcodec_find_encoder_by_name(spec.encoder());
    if (codec == null) {
      throw new TranscodeException("the video encoder " + spec.encoder()
          + " is not in the libav natives on the classpath");
    }
    AVCodecContext encoder = avcodec_alloc_context3(codec);
    if (encoder == null) {
      throw new TranscodeException("out of memory opening the video encoder for " + name);
    }
    try {
      encoder.width(width);
      encoder.height(height);
      encoder.pix_fmt(AV_PIX_FMT_YUV420P);
      encoder.time_base(timeBase);
      encoder.framerate(frameRate);
      encoder.sample_aspect_ratio(av_make_q(1, 1));
      boolean x264 = spec.encoder().equals("libx264");
      // a quality target takes the place of the bit rate, the max rate still caps it
      boolean crf = !live && spec.crf() >= 0 && (x264 || spec.hevc());
      encoder.bit_rate(crf ? 0 : spec.videoBitrate());
      encoder.rc_max_rate(spec.maxRate());
      encoder.rc_buffer_size((int) spec.bufferSize());
      int gop = (int) Math.ceil(segmentSeconds * av_q2d(frameRate)) * 2;
      encoder.gop_size(Math.max(gop, 1));
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_CLOSED_GOP);
      if (globalHeader) {
        encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      encoder.thread_count(0);
      if (x264 || spec.hevc()) {
        av_opt_set(encoder.priv_data(), "preset", spec.preset(), 0);
        av_opt_set(encoder.priv_data(), "forced-idr", "1", 0);
        if (live) {
          av_opt_set(encoder.priv_data(), "tune", "zerolatency", 0);
        }
        if (crf) {
          av_opt_set(encoder.priv_data(), "crf", Integer.toString(spec.crf()), 0);
        }
      }
      if (x264) {
        av_opt_set(encoder.priv_data(), "profile", "high", 0);
        av_opt_set(encoder.priv_data(), "x264-params", "scenecut=0:open-gop=0", 0);
      } else if (spec.hevc()) {
        av_opt_set(encoder.priv_data(), "x265-params",
            "scenecut=0:open-gop=0:log-level=error", 0);
      }
      Libav.check(avcodec_open2(encoder, codec, (AVDictionary) null),
          "opening the video encoder (" + spec.encoder() + ") for", name);
      return encoder;
    } catch (RuntimeException e) {
      avcodec_free_context(encoder);
      throw e;
    }
  }

  /** A scaler from {@code source}'s upright pictures to {@code width x height} YUV 4:2:0. */
  static SwsContext scaler(Source source, int width, int height, String name) {
    int[] from = source.uprightSize();
    SwsContext sws = sws_getContext(from[0], from[1], source.videoDecoder.pix_fmt(),
        width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (double[]) null);
    if (sws == null) {
      throw new TranscodeException("cannot scale the pictures of " + name + " ("
          + source.videoDecoder.width() + "x" + source.videoDecoder.height() + ", pixel format "
          + source.videoDecoder.pix_fmt() + ")");
    }
    return sws;
  }

  /** A YUV 4:2:0 picture to scale into; freed by the caller ({@code av_frame_free}). */
  static AVFrame picture(int width, int height, String name) {
    AVFrame frame = av_frame_alloc();
    if (frame == null) {
      throw new TranscodeException("out of memory allocating a picture for " + name);
    }
    frame.format(AV_PIX_FMT_YUV420P);
    frame.width(width);
    frame.height(height);
    int ret = av_frame_get_buffer(frame, 0);
    if (ret < 0) {
      av_frame_free(frame);
      Libav.check(ret, "allocating a picture for", name);
    }
    return frame;
  }

  /** Frees what {@link #open}, {@link #scaler} and {@link #picture} made; nulls are skipped. */
  static void free(AVCodecContext encoder, SwsContext sws, AVFrame picture) {
    if (picture != null) {
      av_frame_free(picture);
    }
    if (sws != null) {
      sws_freeContext(sws);
    }
    if (encoder != null) {
      avcodec_free_context(encoder);
    }
  }
}
