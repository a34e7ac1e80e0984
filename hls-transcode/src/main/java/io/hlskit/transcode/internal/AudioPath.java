package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The audio of a transcode, done once for every rendition: decoded, resampled to 48 kHz stereo,
 * cut into the AAC encoder's frames and encoded as AAC-LC. Each encoded packet goes to a sink,
 * which must take its own reference before returning.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
final class AudioPath implements AutoCloseable {
  /** The frame size of the AAC encoder. */
  private static final int AAC_FRAME = 1024;
  static final int RATE = 48_000;

  private final String name;
  private final AVCodecContext decoder;
  private AVCodecContext encoder;
  private SwrContext swr;
  private AVAudioFifo fifo;
  private AVFrame decoded;
  private AVFrame resampled;
  private AVFrame out;
  private AVPacket packet;
  private long samples;
  private long frames;

  /**
   * @param decoder the input's audio decoder, open (its owner frees it)
   * @param globalHeader whether the codec configuration goes in the container's header (MP4)
   *     rather than in every packet (MPEG-TS)
   */
  AudioPath(String name, AVCodecContext decoder, long bitrate, boolean globalHeader) {
    this.name = name;
    this.decoder = decoder;
    try {
      open(bitrate, globalHeader);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void open(long bitrate, boolean globalHeader) {
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    encoder = avcodec_alloc_context3(codec);
    encoder.sample_fmt(AV_SAMPLE_FMT_FLTP);
    encoder.sample_rate(RATE);
    av_channel_layout_default(encoder.ch_layout(), 2);
    encoder.bit_rate(bitrate);
    encoder.time_base(av_make_q(1, RATE));
    if (globalHeader) {
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
    Libav.check(avcodec_open2(encoder, codec, (AVDictionary) null),
        "opening the AAC encoder for", name);

    AVChannelLayout inLayout = decoder.ch_layout();
    AVChannelLayout defaultLayout = null;
    if (inLayout.order() == AV_CHANNEL_ORDER_UNSPEC) {
      // a layout without an order (some WAV and MOV files): take the usual one for the count
      defaultLayout = new AVChannelLayout();
      av_channel_layout_default(defaultLayout, Math.max(1, inLayout.nb_channels()));
      inLayout = defaultLayout;
    }
    swr = new SwrContext(null);
    try {
      Libav.check(swr_alloc_set_opts2(swr, encoder.ch_layout(), AV_SAMPLE_FMT_FLTP,
          RATE, inLayout, decoder.sample_fmt(), decoder.sample_rate(), 0, null),
          "setting up the audio resampler for", name);
      Libav.check(swr_init(swr), "starting the audio resampler for", name);
    } finally {
      if (defaultLayout != null) {
        av_channel_layout_uninit(defaultLayout);
        defaultLayout.close();
      }
    }
    fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, AAC_FRAME * 4);
    decoded = av_frame_alloc();
    resampled = av_frame_alloc();
    out = av_frame_alloc();
    packet = av_packet_alloc();
  }

  /** The AAC encoder, for the renditions' muxers to describe its stream. */
  AVCodecContext encoder() {
    return encoder;
  }

  /** Samples encoded so far, at {@link #RATE}. */
  long samples() {
    return samples;
  }

  /** AAC frames encoded so far. */
  long frames() {
    return frames;
  }

  /**
   * Decodes {@code input} (null at the end of the input, to flush) and encodes what it completes.
   *
   * @param sink takes each encoded packet (a reference of its own: the packet is reused)
   * @param onTime called with the encoded audio's end in microseconds, after each AAC frame
   */
  void decode(AVPacket input, Consumer<AVPacket> sink, LongConsumer onTime) {
    int ret = avcodec_send_packet(decoder, input);
    if (ret < 0 && ret != AVERROR_EOF() && ret != AVERROR_EAGAIN()) {
      return; // a damaged audio packet: skip it
    }
    while (true) {
      ret = avcodec_receive_frame(decoder, decoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        break;
      }
      Libav.check(ret, "decoding the audio of", name);
      try {
        resample(decoded);
      } finally {
        av_frame_unref(decoded);
      }
      drain(false, sink, onTime);
    }
    if (input == null) {
      drain(true, sink, onTime);
      encode(null, sink);
    }
  }

  private void resample(AVFrame input) {
    int capacity = swr_get_out_samples(swr, input == null ? 0 : input.nb_samples());
    if (capacity <= 0) {
      return;
    }
    allocate(resampled, capacity);
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

  /** Encodes whole AAC frames from the buffer; with {@code flush}, the rest as a short one. */
  private void drain(boolean flush, Consumer<AVPacket> sink,
      LongConsumer onTime) {
    if (flush) {
      resample(null);
    }
    while (av_audio_fifo_size(fifo) >= AAC_FRAME || (flush && av_audio_fifo_size(fifo) > 0)) {
      int n = Math.min(AAC_FRAME, av_audio_fifo_size(fifo));
      allocate(out, n);
      Libav.check(av_audio_fifo_read(fifo, out.extended_data(), n), "reading buffered audio"
          + " for", name);
      out.pts(samples);
      samples += n;
      frames++;
      encode(out, sink);
      onTime.accept(samples * 1_000_000 / RATE);
    }
  }

  /** Gives {@code frame} fresh buffers for {@code count} samples of the encoder's format. */
  private void allocate(AVFrame frame, int count) {
    av_frame_unref(frame);
    frame.format(AV_SAMPLE_FMT_FLTP);
    frame.sample_rate(RATE);
    Libav.check(av_channel_layout_copy(frame.ch_layout(), encoder.ch_layout()),
        "preparing audio for", name);
    frame.nb_samples(count);
    Libav.check(av_frame_get_buffer(frame, 0), "allocating audio for", name);
  }

  private void encode(AVFrame frame, Consumer<AVPacket> sink) {
    Libav.check(avcodec_send_frame(encoder, frame), "encoding the audio of", name);
    while (true) {
      int ret = avcodec_receive_packet(encoder, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "encoding the audio of", name);
      try {
        if (packet.duration() <= 0) {
          // the muxer times segments with packet durations; encoders leave some at 0
          packet.duration(Math.max(1, encoder.frame_size()));
        }
        sink.accept(packet);
      } finally {
        av_packet_unref(packet);
      }
    }
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    for (AVFrame f : new AVFrame[] {decoded, resampled, out}) {
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
    if (encoder != null) {
      avcodec_free_context(encoder);
    }
  }
}
