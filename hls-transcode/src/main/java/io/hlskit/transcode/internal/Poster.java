package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/** One decoded picture as a JPEG, through libswscale and libav's MJPEG encoder. */
final class Poster {
  private Poster() {}

  /** The largest long side of a poster made from cover art: album art comes at 3000 px. */
  static final int COVER_SIDE = 1280;

  /** The largest long side of a poster made from a keyframe: a 1080p picture. */
  static final int FRAME_SIDE = 1920;

  /**
   * The picture in one packet that holds a whole one (a keyframe, the cover art of a song) as a
   * JPEG, scaled down to at most {@code maxLongSide} on its long side.
   *
   * @throws io.hlskit.core.TranscodeException when libav cannot decode or encode it
   */
  static byte[] fromPacket(AVCodecParameters codecpar, AVPacket packet, int maxLongSide,
      String name) {
    if (codecpar.width() > Source.MAX_SIDE || codecpar.height() > Source.MAX_SIDE
        || (long) codecpar.width() * codecpar.height() > Source.MAX_PIXELS) {
      // a header can claim any size; decoding would ask for that much memory
      throw new io.hlskit.core.TranscodeException("the picture of " + name + " declares "
          + codecpar.width() + "x" + codecpar.height() + ", more than hlskit decodes");
    }
    AVCodec codec = avcodec_find_decoder(codecpar.codec_id());
    if (codec == null) {
      throw new io.hlskit.core.TranscodeException("no decoder in libav for the picture of "
          + name);
    }
    AVCodecContext decoder = avcodec_alloc_context3(codec);
    AVFrame picture = av_frame_alloc();
    try {
      Libav.check(avcodec_parameters_to_context(decoder, codecpar), "reading the picture of",
          name);
      decoder.thread_count(1); // one picture: threads would only add their start-up
      Libav.check(avcodec_open2(decoder, codec, (AVDictionary) null), "reading the picture of",
          name);
      Libav.check(avcodec_send_packet(decoder, packet), "decoding the picture of", name);
      Libav.check(avcodec_send_packet(decoder, null), "decoding the picture of", name);
      Libav.check(avcodec_receive_frame(decoder, picture), "decoding the picture of", name);
      double scale = Math.min(1.0,
          (double) maxLongSide / Math.max(picture.width(), picture.height()));
      return jpeg(picture, Encode.even(picture.width() * scale),
          Encode.even(picture.height() * scale), name);
    } finally {
      av_frame_free(picture);
      avcodec_free_context(decoder);
    }
  }

  /**
   * The picture scaled to {@code width x height} as JPEG bytes.
   *
   * @throws io.hlskit.core.TranscodeException when libav cannot encode it
   */
  static byte[] jpeg(AVFrame picture, int width, int height, String name) {
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (codec == null) {
      throw new io.hlskit.core.TranscodeException("the libav natives have no JPEG encoder");
    }
    SwsContext sws = null;
    AVCodecContext encoder = null;
    AVFrame frame = av_frame_alloc();
    AVPacket packet = av_packet_alloc();
    try {
      sws = sws_getContext(picture.width(), picture.height(), picture.format(), width, height,
          AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, null, null, (double[]) null);
      if (sws == null) {
        throw new io.hlskit.core.TranscodeException("cannot scale the poster of " + name);
      }
      frame.format(AV_PIX_FMT_YUVJ420P);
      frame.width(width);
      frame.height(height);
      Libav.check(av_frame_get_buffer(frame, 0), "allocating the poster of", name);
      Libav.check(sws_scale_frame(sws, frame, picture), "scaling the poster of", name);
      frame.pts(0);

      encoder = avcodec_alloc_context3(codec);
      encoder.width(width);
      encoder.height(height);
      encoder.pix_fmt(AV_PIX_FMT_YUVJ420P);
      encoder.time_base(av_make_q(1, 25));
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
      encoder.global_quality(FF_QP2LAMBDA * 3); // good quality, small file
      Libav.check(avcodec_open2(encoder, codec, (AVDictionary) null), "opening the JPEG encoder"
          + " for", name);
      frame.quality(encoder.global_quality());
      Libav.check(avcodec_send_frame(encoder, frame), "encoding the poster of", name);
      Libav.check(avcodec_send_frame(encoder, null), "encoding the poster of", name);
      Libav.check(avcodec_receive_packet(encoder, packet), "encoding the poster of", name);
      byte[] jpeg = new byte[packet.size()];
      packet.data().get(jpeg);
      return jpeg;
    } finally {
      av_packet_free(packet);
      av_frame_free(frame);
      if (encoder != null) {
        avcodec_free_context(encoder);
      }
      if (sws != null) {
        sws_freeContext(sws);
      }
    }
  }
}
