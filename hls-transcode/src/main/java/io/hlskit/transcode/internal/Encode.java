package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decode of the input into one HLS rendition through the libav {@code hls} muxer: video
 * decoded, scaled with libswscale and encoded with libx264 (or OpenH264), keyframes forced at
 * every segment boundary; audio resampled to 48 kHz stereo and encoded as AAC-LC.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
public final class Encode implements AutoCloseable {
  /** The frame size of the AAC encoder. */
  private static final int AAC_FRAME = 1024;
  private static final int AUDIO_RATE = 48_000;

  /** Everything the caller chose. */
  public record Settings(int shortSide, long videoBitrate, long audioBitrate,
      double segmentSeconds, String videoEncoder) {}

  /** What came out. */
  public record Result(int width, int height, boolean hasAudio, String videoCodecs,
      long frames, double durationSeconds, Optional<byte[]> posterJpeg) {}

  private static final Logger LOG = LoggerFactory.getLogger(Encode.class);

  private final String name;
  private AVFormatContext in;
  private AVCodecContext videoDecoder;
  private AVCodecContext audioDecoder;
  private AVCodecContext videoEncoder;
  private AVCodecContext audioEncoder;
  private SwsContext sws;
  private SwrContext swr;
  private AVAudioFifo fifo;
  private AVFormatContext out;
  private AVFrame decoded;
  private AVFrame scaled;
  private AVFrame resampled;
  private AVFrame audioOut;
  private AVPacket packet;
  private AVPacket encodedPacket;
  private AVDictionary muxOptions;

  private int videoIndex = -1;
  private int audioIndex = -1;
  private AVStream videoOut;
  private AVStream audioOut0;
  private long firstVideoPts = AV_NOPTS_VALUE;
  private long lastVideoPts = Long.MIN_VALUE;
  private long audioSamples;
  private int nextKeyframe;
  private long frames;
  private String videoCodecs;
  private byte[] poster;
  private double posterAt;

  public Encode(Path input) {
    this.name = input.toString();
  }

  /**
   * Runs the whole transcode into {@code playlist} (segments beside it).
   *
   * @param onVideoPts called with each decoded video frame's time in microseconds from the start
   */
  public Result run(Path playlist, Settings s, LongConsumer onVideoPts) {
    openInput();
    openDecoders();
    int[] size = outputSize(s.shortSide());
    openVideoEncoder(s, size[0], size[1]);
    if (audioDecoder != null) {
      openAudio(s);
    }
    openOutput(playlist, s);
    // the poster: a second in, past fades from black, or a tenth of a short clip
    posterAt = Math.min(1.0, inputDurationMicros() / 1e6 / 10);

    packet = av_packet_alloc();
    encodedPacket = av_packet_alloc();
    decoded = av_frame_alloc();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TranscodeException("the transcode of " + name + " was cancelled");
      }
      int ret = av_read_frame(in, packet);
      if (ret == AVERROR_EOF()) {
        break;
      }
      if (ret < 0) {
        throw new TranscodeException("reading " + name + " failed (truncated or corrupt?)",
            Libav.error(ret));
      }
      try {
        if (packet.stream_index() == videoIndex) {
          decodeVideo(packet, s, onVideoPts);
        } else if (packet.stream_index() == audioIndex) {
          decodeAudio(packet);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    decodeVideo(null, s, onVideoPts);
    if (audioDecoder != null) {
      decodeAudio(null);
      drainAudio(true);
      encodeAudio(null);
    }
    encodeVideo(null);
    Libav.check(av_write_trailer(out), "finishing the HLS output", name);
    if (frames == 0) {
      throw new TranscodeException(name + " has a video stream but no frame could be decoded;"
          + " the file is probably truncated or corrupt");
    }
    double duration = lastVideoPts == Long.MIN_VALUE ? 0
        : (lastVideoPts + frameDurationTicks()) * av_q2d(videoEncoder.time_base());
    return new Result(videoEncoder.width(), videoEncoder.height(), audioEncoder != null,
        videoCodecs, frames, duration,
        Optional.ofNullable(poster).filter(jpeg -> jpeg.length > 0));
  }

  /** The input's duration in microseconds, 0 when unknown; valid after {@link #run} opened it. */
  public long inputDurationMicros() {
    return in == null || in.duration() == AV_NOPTS_VALUE ? 0 : in.duration();
  }

  private void openInput() {
    in = new AVFormatContext(null);
    int ret = avformat_open_input(in, name, null, null);
    if (ret < 0) {
      in = null;
      throw new TranscodeException(name + " is not a media file libav can open; upload a video"
          + " (MP4, MOV, MKV, WebM, TS)", Libav.error(ret));
    }
    Libav.check(avformat_find_stream_info(in, (PointerPointer<?>) null),
        "reading the streams of", name);
  }

  private void openDecoders() {
    videoIndex = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (videoIndex < 0) {
      throw new TranscodeException(name + " has no video stream; hlskit makes video channels"
          + " (audio-only input is not supported yet)");
    }
    videoDecoder = openDecoder(in.streams(videoIndex), "video");
    audioIndex = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, videoIndex, (AVCodec) null, 0);
    if (audioIndex >= 0) {
      audioDecoder = openDecoder(in.streams(audioIndex), "audio");
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

  /** The output size: the short side scaled to the profile, display aspect kept, even. */
  private int[] outputSize(int shortSide) {
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
    double shorter = Math.min(displayW, h);
    double scale = shorter > shortSide ? shortSide / shorter : 1.0;
    return new int[] {even(displayW * scale), even(h * scale)};
  }

  private static int even(double v) {
    int i = (int) Math.round(v / 2.0) * 2;
    return Math.max(2, i);
  }

  private void openVideoEncoder(Settings s, int width, int height) {
    AVCodec codec = avcodec_find_encoder_by_name(s.videoEncoder());
    if (codec == null) {
      throw new TranscodeException("the H.264 encoder " + s.videoEncoder()
          + " is not in the libav natives on the classpath");
    }
    videoEncoder = avcodec_alloc_context3(codec);
    AVStream stream = in.streams(videoIndex);
    AVRational rate = av_guess_frame_rate(in, stream, null);
    if (rate.num() <= 0 || rate.den() <= 0) {
      rate = av_make_q(25, 1);
    }
    videoEncoder.width(width);
    videoEncoder.height(height);
    videoEncoder.pix_fmt(AV_PIX_FMT_YUV420P);
    videoEncoder.time_base(stream.time_base());
    videoEncoder.framerate(rate);
    videoEncoder.sample_aspect_ratio(av_make_q(1, 1));
    videoEncoder.bit_rate(s.videoBitrate());
    videoEncoder.rc_max_rate(s.videoBitrate() * 3 / 2);
    videoEncoder.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, s.videoBitrate() * 2));
    // keyframes come only where segments start: forced there, never from scene cuts
    int gop = (int) Math.ceil(s.segmentSeconds() * av_q2d(rate)) * 2;
    videoEncoder.gop_size(Math.max(gop, 1));
    videoEncoder.flags(videoEncoder.flags() | AV_CODEC_FLAG_CLOSED_GOP);
    videoEncoder.thread_count(0);
    if (s.videoEncoder().equals("libx264")) {
      av_opt_set(videoEncoder.priv_data(), "preset", "fast", 0);
      av_opt_set(videoEncoder.priv_data(), "profile", "high", 0);
      av_opt_set(videoEncoder.priv_data(), "forced-idr", "1", 0);
      av_opt_set(videoEncoder.priv_data(), "x264-params", "scenecut=0:open-gop=0", 0);
    }
    Libav.check(avcodec_open2(videoEncoder, codec, (AVDictionary) null),
        "opening the video encoder (" + s.videoEncoder() + ") for", name);

    sws = sws_getContext(videoDecoder.width(), videoDecoder.height(), videoDecoder.pix_fmt(),
        width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (double[]) null);
    if (sws == null) {
      throw new TranscodeException("cannot scale the pictures of " + name + " ("
          + videoDecoder.width() + "x" + videoDecoder.height() + ", pixel format "
          + videoDecoder.pix_fmt() + ")");
    }
    scaled = av_frame_alloc();
    scaled.format(AV_PIX_FMT_YUV420P);
    scaled.width(width);
    scaled.height(height);
    Libav.check(av_frame_get_buffer(scaled, 0), "allocating a picture for", name);
  }

  private void openAudio(Settings s) {
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    audioEncoder = avcodec_alloc_context3(codec);
    audioEncoder.sample_fmt(AV_SAMPLE_FMT_FLTP);
    audioEncoder.sample_rate(AUDIO_RATE);
    av_channel_layout_default(audioEncoder.ch_layout(), 2);
    audioEncoder.bit_rate(s.audioBitrate());
    audioEncoder.time_base(av_make_q(1, AUDIO_RATE));
    Libav.check(avcodec_open2(audioEncoder, codec, (AVDictionary) null),
        "opening the AAC encoder for", name);

    AVChannelLayout inLayout = audioDecoder.ch_layout();
    AVChannelLayout defaultLayout = null;
    if (inLayout.order() == AV_CHANNEL_ORDER_UNSPEC) {
      // a layout without an order (some WAV and MOV files): take the usual one for the count
      defaultLayout = new AVChannelLayout();
      av_channel_layout_default(defaultLayout, Math.max(1, inLayout.nb_channels()));
      inLayout = defaultLayout;
    }
    swr = new SwrContext(null);
    try {
      Libav.check(swr_alloc_set_opts2(swr, audioEncoder.ch_layout(), AV_SAMPLE_FMT_FLTP,
          AUDIO_RATE, inLayout, audioDecoder.sample_fmt(), audioDecoder.sample_rate(), 0, null),
          "setting up the audio resampler for", name);
      Libav.check(swr_init(swr), "starting the audio resampler for", name);
    } finally {
      if (defaultLayout != null) {
        av_channel_layout_uninit(defaultLayout);
        defaultLayout.close();
      }
    }
    fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, AAC_FRAME * 4);
    resampled = av_frame_alloc();
    audioOut = av_frame_alloc();
  }

  private void openOutput(Path playlist, Settings s) {
    out = new AVFormatContext(null);
    int ret = avformat_alloc_output_context2(out, null, "hls", playlist.toString());
    if (ret < 0) {
      out = null;
      Libav.check(ret, "setting up the HLS muxer for", name);
    }
    videoOut = avformat_new_stream(out, null);
    Libav.check(avcodec_parameters_from_context(videoOut.codecpar(), videoEncoder),
        "describing the video stream for", name);
    videoOut.time_base(videoEncoder.time_base());
    if (audioEncoder != null) {
      audioOut0 = avformat_new_stream(out, null);
      Libav.check(avcodec_parameters_from_context(audioOut0.codecpar(), audioEncoder),
          "describing the audio stream for", name);
      audioOut0.time_base(audioEncoder.time_base());
    }
    muxOptions = new AVDictionary(null);
    av_dict_set(muxOptions, "hls_time", String.valueOf(s.segmentSeconds()), 0);
    av_dict_set(muxOptions, "hls_playlist_type", "vod", 0);
    av_dict_set(muxOptions, "hls_list_size", "0", 0);
    av_dict_set(muxOptions, "hls_segment_type", "mpegts", 0);
    av_dict_set(muxOptions, "hls_segment_filename",
        playlist.resolveSibling("seg_%05d.ts").toString(), 0);
    if ((out.oformat().flags() & AVFMT_NOFILE) == 0) {
      AVIOContext pb = new AVIOContext(null);
      Libav.check(avio_open(pb, playlist.toString(), AVIO_FLAG_WRITE), "creating", name);
      out.pb(pb);
    }
    Libav.check(avformat_write_header(out, muxOptions), "starting the HLS output for", name);
  }

  private void decodeVideo(AVPacket pkt, Settings s, LongConsumer onVideoPts) {
    int ret = avcodec_send_packet(videoDecoder, pkt);
    if (ret < 0 && ret != AVERROR_EOF() && ret != AVERROR_EAGAIN()) {
      if (pkt == null) {
        return;
      }
      // one bad packet in a long file should not sink the job: skip it, as players do
      return;
    }
    while (true) {
      ret = avcodec_receive_frame(videoDecoder, decoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "decoding the video of", name);
      try {
        long pts = decoded.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) {
          pts = lastVideoPts == Long.MIN_VALUE ? 0 : lastVideoPts + frameDurationTicks();
        } else {
          if (firstVideoPts == AV_NOPTS_VALUE) {
            firstVideoPts = pts;
          }
          pts -= firstVideoPts;
        }
        if (lastVideoPts != Long.MIN_VALUE && pts <= lastVideoPts) {
          pts = lastVideoPts + 1; // the encoder needs strictly increasing time stamps
        }
        lastVideoPts = pts;
        Libav.check(av_frame_make_writable(scaled), "preparing a picture for", name);
        Libav.check(sws_scale_frame(sws, scaled, decoded), "scaling the video of", name);
        scaled.pts(pts);
        double seconds = pts * av_q2d(videoEncoder.time_base());
        if (seconds + 1e-6 >= nextKeyframe * s.segmentSeconds()) {
          scaled.pict_type(AV_PICTURE_TYPE_I);
          while (seconds + 1e-6 >= nextKeyframe * s.segmentSeconds()) {
            nextKeyframe++;
          }
        } else {
          scaled.pict_type(AV_PICTURE_TYPE_NONE);
        }
        if (poster == null && seconds + 1e-6 >= posterAt) {
          try {
            poster = Poster.jpeg(decoded, scaled.width(), scaled.height(), name);
          } catch (TranscodeException e) {
            LOG.warn("no poster for {}: {}", name, e.getMessage());
            poster = new byte[0];
          }
        }
        encodeVideo(scaled);
        frames++;
        onVideoPts.accept(Math.round(seconds * 1_000_000));
      } finally {
        av_frame_unref(decoded);
      }
    }
  }

  private long frameDurationTicks() {
    AVRational rate = videoEncoder.framerate();
    AVRational tb = videoEncoder.time_base();
    if (rate.num() <= 0 || tb.num() <= 0) {
      return 1;
    }
    return Math.max(1, Math.round((double) rate.den() * tb.den() / ((double) rate.num() * tb.num())));
  }

  private void encodeVideo(AVFrame frame) {
    Libav.check(avcodec_send_frame(videoEncoder, frame), "encoding the video of", name);
    drainEncoder(videoEncoder, videoOut, true);
  }

  private void drainEncoder(AVCodecContext encoder, AVStream stream, boolean video) {
    while (true) {
      int ret = avcodec_receive_packet(encoder, encodedPacket);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "encoding", name);
      try {
        if (video && videoCodecs == null) {
          videoCodecs = H264.codecsString(encodedPacket.data(), encodedPacket.size())
              .orElse(null);
        }
        if (encodedPacket.duration() <= 0) {
          // the muxer times segments with packet durations; encoders leave some at 0
          encodedPacket.duration(video ? frameDurationTicks() : Math.max(1, encoder.frame_size()));
        }
        av_packet_rescale_ts(encodedPacket, encoder.time_base(), stream.time_base());
        encodedPacket.stream_index(stream.index());
        Libav.check(av_interleaved_write_frame(out, encodedPacket), "writing a segment of",
            name);
      } finally {
        av_packet_unref(encodedPacket);
      }
    }
  }

  private void decodeAudio(AVPacket pkt) {
    int ret = avcodec_send_packet(audioDecoder, pkt);
    if (ret < 0 && ret != AVERROR_EOF() && ret != AVERROR_EAGAIN()) {
      return; // a damaged audio packet: skip it
    }
    while (true) {
      ret = avcodec_receive_frame(audioDecoder, decoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "decoding the audio of", name);
      try {
        resample(decoded);
      } finally {
        av_frame_unref(decoded);
      }
      drainAudio(false);
    }
  }

  private void resample(AVFrame input) {
    int capacity = swr_get_out_samples(swr, input == null ? 0 : input.nb_samples());
    if (capacity <= 0) {
      return;
    }
    allocateAudio(resampled, capacity);
    int n = input == null
        ? swr_convert(swr, resampled.extended_data(), capacity, (PointerPointer<?>) null, 0)
        : swr_convert(swr, resampled.extended_data(), capacity, input.extended_data(),
            input.nb_samples());
    Libav.check(n, "resampling the audio of", name);
    if (n > 0) {
      Libav.check(av_audio_fifo_write(fifo, resampled.extended_data(), n), "buffering audio for",
          name);
    }
  }

  private void drainAudio(boolean flush) {
    if (flush) {
      resample(null);
    }
    while (av_audio_fifo_size(fifo) >= AAC_FRAME || (flush && av_audio_fifo_size(fifo) > 0)) {
      int n = Math.min(AAC_FRAME, av_audio_fifo_size(fifo));
      allocateAudio(audioOut, n);
      Libav.check(av_audio_fifo_read(fifo, audioOut.extended_data(), n), "reading buffered audio"
          + " for", name);
      audioOut.pts(audioSamples);
      audioSamples += n;
      encodeAudio(audioOut);
    }
  }

  /** Gives {@code frame} fresh buffers for {@code samples} of the encoder's audio format. */
  private void allocateAudio(AVFrame frame, int samples) {
    av_frame_unref(frame);
    frame.format(AV_SAMPLE_FMT_FLTP);
    frame.sample_rate(AUDIO_RATE);
    Libav.check(av_channel_layout_copy(frame.ch_layout(), audioEncoder.ch_layout()),
        "preparing audio for", name);
    frame.nb_samples(samples);
    Libav.check(av_frame_get_buffer(frame, 0), "allocating audio for", name);
  }

  private void encodeAudio(AVFrame frame) {
    Libav.check(avcodec_send_frame(audioEncoder, frame), "encoding the audio of", name);
    drainEncoder(audioEncoder, audioOut0, false);
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    if (encodedPacket != null) {
      av_packet_free(encodedPacket);
    }
    for (AVFrame f : new AVFrame[] {decoded, scaled, resampled, audioOut}) {
      if (f != null) {
        av_frame_free(f);
      }
    }
    if (fifo != null) {
      av_audio_fifo_free(fifo);
    }
    if (swr != null) {
      swr_free(swr);
    }
    if (sws != null) {
      sws_freeContext(sws);
    }
    for (AVCodecContext c : new AVCodecContext[] {videoDecoder, audioDecoder, videoEncoder,
        audioEncoder}) {
      if (c != null) {
        avcodec_free_context(c);
      }
    }
    if (muxOptions != null) {
      av_dict_free(muxOptions);
    }
    if (out != null) {
      if ((out.oformat().flags() & AVFMT_NOFILE) == 0 && out.pb() != null) {
        avio_closep(out.pb());
      }
      avformat_free_context(out);
    }
    if (in != null) {
      avformat_close_input(in);
    }
  }
}
