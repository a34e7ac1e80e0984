package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swresample.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
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
 * One decode of the input into one or more HLS renditions, each through its own libav {@code
 * hls} muxer: video decoded, turned upright when the stream says so, scaled with libswscale for
 * each rendition and encoded with libx264 (or OpenH264) with keyframes forced at the same frames
 * in every rendition (segment boundaries align); audio resampled to 48 kHz stereo, encoded once
 * as AAC-LC and muxed into every rendition. An input with audio and no video (a song, a podcast)
 * gives one audio-only rendition, its cover art as the poster.
 *
 * <p>Threads: the caller's thread reads, decodes, decides keyframes and encodes the audio; each
 * rendition scales, encodes and muxes on a thread of its own, fed through a short queue of
 * reference-counted frames (no picture is copied to hand it over). An encoder that waits for
 * its own threads then holds up neither the decoder nor the other renditions, which is what
 * makes a ladder from one decode cheaper than its renditions one after another. A lone
 * rendition runs on the caller's thread: with nothing else to keep going, the hand-off only
 * cost time (about 3 % of a 720p transcode).
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
public final class Encode implements AutoCloseable {
  /** The frame size of the AAC encoder. */
  private static final int AAC_FRAME = 1024;
  private static final int AUDIO_RATE = 48_000;

  private static final Logger LOG = LoggerFactory.getLogger(Encode.class);

  private final String name;
  private AVFormatContext in;
  private AVCodecContext videoDecoder;
  private AVCodecContext audioDecoder;
  private AVCodecContext audioEncoder;
  private SwrContext swr;
  private AVAudioFifo fifo;
  private AVFrame decoded;
  private AVFrame resampled;
  private AVFrame audioOut;
  private AVPacket packet;
  private AVPacket encodedPacket;
  private Rotator rotator;
  private final List<Output> outputs = new ArrayList<>();

  private int videoIndex = -1;
  private int audioIndex = -1;
  private int coverIndex = -1;
  private AVRational timeBase;
  private AVRational frameRate;
  private long firstVideoPts = AV_NOPTS_VALUE;
  private long lastVideoPts = Long.MIN_VALUE;
  private long audioSamples;
  private long audioFrames;
  private LongConsumer onAudioTime;
  private int nextKeyframe;
  private long frames;
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
  public EncodeResult run(Path workDir, EncodeSettings s, LongConsumer onVideoPts) {
    openInput();
    openDecoders();
    if (videoDecoder != null) {
      AVStream stream = in.streams(videoIndex);
      timeBase = stream.time_base();
      frameRate = av_guess_frame_rate(in, stream, null);
      if (frameRate.num() <= 0 || frameRate.den() <= 0) {
        frameRate = av_make_q(25, 1);
      }
      int rotation = Rotator.degrees(stream.codecpar());
      if (rotation != 0) {
        rotator = new Rotator(rotation, timeBase, name);
      }
    }
    if (audioDecoder != null) {
      openAudio(s);
    }
    if (videoDecoder != null) {
      for (int[] size : outputSizes(s)) {
        Output o = new Output(size[2]);
        outputs.add(o); // added first, so close() frees it whatever fails below
        o.open(workDir.resolve("r" + outputs.size()).resolve("index.m3u8"), s, size[0], size[1]);
      }
      // the poster: a second in, past fades from black, or a tenth of a short clip
      posterAt = Math.min(1.0, inputDurationMicros() / 1e6 / 10);
    } else {
      // audio only: one rendition, whatever the ladder; there are no pictures to scale
      Output o = new Output(0);
      outputs.add(o);
      o.open(workDir.resolve("r1").resolve("index.m3u8"), s, 0, 0);
      onAudioTime = onVideoPts;
      poster = coverArt();
    }

    packet = av_packet_alloc();
    encodedPacket = av_packet_alloc();
    decoded = av_frame_alloc();
    for (Output o : outputs) {
      o.start(outputs.size() == 1);
    }
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TranscodeCancelledException("the transcode of " + name + " was cancelled");
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
    if (videoDecoder != null) {
      decodeVideo(null, s, onVideoPts);
    }
    if (audioDecoder != null) {
      decodeAudio(null);
      drainAudio(true);
      encodeAudio(null);
    }
    for (Output o : outputs) {
      o.submit(Work.END); // each flushes its encoder and writes its trailer
    }
    List<EncodeResult.Rendition> results = new ArrayList<>();
    for (Output o : outputs) {
      o.finish();
      results.add(o.encoder == null ? new EncodeResult.Rendition(0, 0, 0, null, o.playlist)
          : new EncodeResult.Rendition(o.encoder.width(), o.encoder.height(), o.bitrate,
              o.codecs, o.playlist));
    }
    Optional<byte[]> posterJpeg = Optional.ofNullable(poster).filter(jpeg -> jpeg.length > 0);
    Optional<String> audioCodecs = Optional.ofNullable(audioEncoder).map(e -> "mp4a.40.2");
    if (videoDecoder == null) {
      if (audioSamples == 0) {
        throw new TranscodeException(name + " has an audio stream but no sound could be"
            + " decoded; the file is probably truncated or corrupt");
      }
      return new EncodeResult(results, audioCodecs, audioFrames,
          (double) audioSamples / AUDIO_RATE, 0, posterJpeg);
    }
    if (frames == 0) {
      throw new TranscodeException(name + " has a video stream but no frame could be decoded;"
          + " the file is probably truncated or corrupt");
    }
    double duration = lastVideoPts == Long.MIN_VALUE ? 0
        : (lastVideoPts + frameDurationTicks()) * av_q2d(timeBase);
    return new EncodeResult(results, audioCodecs, frames, duration, av_q2d(frameRate),
        posterJpeg);
  }

  /** The input's duration in microseconds, 0 when unknown; valid after {@link #run} opened it. */
  public long inputDurationMicros() {
    return in == null || in.duration() == AV_NOPTS_VALUE ? 0 : in.duration();
  }

  private void openInput() {
    Libav.openInput(name, opened -> in = opened);
  }

  /** The largest picture taken: 16K on a side, and no more pixels than 8K UHD. */
  static final int MAX_SIDE = 16_384;
  static final long MAX_PIXELS = 7680L * 4320;

  private void openDecoders() {
    videoIndex = Libav.videoStream(in);
    audioIndex = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, videoIndex, (AVCodec) null, 0);
    if (videoIndex < 0 && audioIndex < 0) {
      throw new TranscodeException(name + " has neither a video nor an audio stream; upload a"
          + " video (MP4, MOV, MKV, WebM, TS) or a sound file");
    }
    if (videoIndex >= 0) {
      checkPictureSize(in.streams(videoIndex).codecpar());
      videoDecoder = openDecoder(in.streams(videoIndex), "video");
    } else {
      coverIndex = Libav.coverArtStream(in);
    }
    if (audioIndex >= 0) {
      audioDecoder = openDecoder(in.streams(audioIndex), "audio");
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

  /**
   * The audio file's cover art as a JPEG poster, at most {@link Poster#COVER_SIDE} on its long
   * side; null when there is none or it cannot be decoded (a song without its picture plays).
   */
  private byte[] coverArt() {
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

  /**
   * The output sizes ({@code {width, height, bitrate}}): each short side scaled to its
   * rendition, display aspect kept, even; never larger than the source.
   */
  private List<int[]> outputSizes(EncodeSettings s) {
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
      double t = displayW;
      displayW = displayH;
      displayH = t;
    }
    double shorter = Math.min(displayW, displayH);
    List<int[]> sizes = new ArrayList<>();
    for (EncodeSettings.Rendition r : s.renditions()) {
      if (s.dropLarger() && r.shortSide() > shorter && !sizes.isEmpty()) {
        continue; // a ladder never upscales: a larger rendition adds nothing
      }
      double scale = shorter > r.shortSide() ? r.shortSide() / shorter : 1.0;
      int[] size = {even(displayW * scale), even(displayH * scale), (int) r.videoBitrate()};
      if (sizes.stream().noneMatch(x -> x[0] == size[0] && x[1] == size[1])) {
        sizes.add(size);
      }
    }
    return sizes;
  }

  /** {@code v} rounded to an even number of pixels, 2 at least (what 4:2:0 needs). */
  static int even(double v) {
    int i = (int) Math.round(v / 2.0) * 2;
    return Math.max(2, i);
  }

  private void openAudio(EncodeSettings s) {
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    audioEncoder = avcodec_alloc_context3(codec);
    audioEncoder.sample_fmt(AV_SAMPLE_FMT_FLTP);
    audioEncoder.sample_rate(AUDIO_RATE);
    av_channel_layout_default(audioEncoder.ch_layout(), 2);
    audioEncoder.bit_rate(s.audioBitrate());
    audioEncoder.time_base(av_make_q(1, AUDIO_RATE));
    if (s.fmp4()) {
      audioEncoder.flags(audioEncoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
    }
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

  private void decodeVideo(AVPacket pkt, EncodeSettings s, LongConsumer onVideoPts) {
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
        AVFrame picture = rotator == null ? decoded : rotator.apply(decoded);
        double seconds = pts * av_q2d(timeBase);
        // one decision for every rendition: segment boundaries stay aligned across the ladder
        boolean keyframe = seconds + 1e-6 >= nextKeyframe * s.segmentSeconds();
        while (seconds + 1e-6 >= nextKeyframe * s.segmentSeconds()) {
          nextKeyframe++;
        }
        if (poster == null && seconds + 1e-6 >= posterAt) {
          Output largest = outputs.get(outputs.size() - 1);
          try {
            poster = Poster.jpeg(picture, largest.width, largest.height, name);
          } catch (TranscodeException e) {
            LOG.warn("no poster for {}: {}", name, e.getMessage());
            poster = new byte[0];
          }
        }
        for (Output o : outputs) {
          // a new reference to the same picture buffers: counted, not copied
          AVFrame ref = av_frame_clone(picture);
          if (ref == null) {
            throw new TranscodeException("out of memory handing a picture of " + name + " over");
          }
          o.submit(new Work(ref, null, pts, keyframe));
        }
        frames++;
        onVideoPts.accept(Math.round(seconds * 1_000_000));
      } finally {
        av_frame_unref(decoded);
      }
    }
  }

  private long frameDurationTicks() {
    AVRational rate = frameRate;
    AVRational tb = timeBase;
    if (rate.num() <= 0 || tb.num() <= 0) {
      return 1;
    }
    return Math.max(1, Math.round((double) rate.den() * tb.den() / ((double) rate.num() * tb.num())));
  }

  /** Hands what the audio encoder has ready to every rendition, as references to one packet. */
  private void drainAudioEncoder() {
    while (true) {
      int ret = avcodec_receive_packet(audioEncoder, encodedPacket);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "encoding the audio of", name);
      try {
        if (encodedPacket.duration() <= 0) {
          // the muxer times segments with packet durations; encoders leave some at 0
          encodedPacket.duration(Math.max(1, audioEncoder.frame_size()));
        }
        for (Output o : outputs) {
          AVPacket ref = av_packet_clone(encodedPacket);
          if (ref == null) {
            throw new TranscodeException("out of memory handing the audio of " + name + " over");
          }
          o.submit(new Work(null, ref, 0, false));
        }
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
      audioFrames++;
      encodeAudio(audioOut);
      if (onAudioTime != null) {
        onAudioTime.accept(audioSamples * 1_000_000 / AUDIO_RATE);
      }
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
    drainAudioEncoder();
  }

  /** Frames and packets waiting for a rendition's thread: a few, so memory stays bounded. */
  private static final int QUEUE = 8;

  /**
   * The renditions' threads, shared by every transcode and kept a minute when idle: a thread
   * made for each transcode would, with glibc's per-thread malloc arenas, leave resident memory
   * growing from one transcode to the next (measured: +80 MB over 125 transcodes).
   */
  private static final ExecutorService WORKERS = Executors.newCachedThreadPool(new ThreadFactory() {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "hlskit-encode-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  });

  /**
   * What the decoding thread hands a rendition: a picture to scale and encode, or an audio packet
   * to mux, each a reference the rendition frees; {@link #END} flushes and finishes.
   */
  private record Work(AVFrame picture, AVPacket audio, long pts, boolean keyframe) {
    static final Work END = new Work(null, null, 0, false);
    static final Work STOP = new Work(null, null, 0, false);

    void free() {
      if (picture != null) {
        av_frame_free(picture);
      }
      if (audio != null) {
        av_packet_free(audio);
      }
    }
  }

  /**
   * One rendition: its scaler, encoder and HLS muxer, used only by its own thread once {@link
   * #start}ed (and by the caller's thread before and after).
   */
  private final class Output {
    final long bitrate;
    final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUE);
    final CountDownLatch done = new CountDownLatch(1);
    boolean started;
    boolean inline;
    volatile boolean stopping;
    volatile Throwable failure;
    int width;
    int height;
    AVPacket videoPacket;
    SwsContext sws;
    AVFrame scaled;
    AVCodecContext encoder;
    AVFormatContext out;
    AVDictionary muxOptions;
    AVStream videoStream;
    AVStream audioStream;
    String codecs;
    Path playlist;

    Output(long bitrate) {
      this.bitrate = bitrate;
    }

    /** Opens the rendition; {@code width} 0 for audio only. */
    void open(Path playlistFile, EncodeSettings s, int width, int height) {
      playlist = playlistFile;
      try {
        java.nio.file.Files.createDirectories(playlistFile.getParent());
      } catch (java.io.IOException e) {
        throw new TranscodeException("cannot create " + playlistFile.getParent(), e);
      }
      if (width > 0) {
        openVideo(s, width, height);
      }
      out = new AVFormatContext(null);
      int ret = avformat_alloc_output_context2(out, null, "hls", playlistFile.toString());
      if (ret < 0) {
        out = null;
        Libav.check(ret, "setting up the HLS muxer for", name);
      }
      if (encoder != null) {
        videoStream = avformat_new_stream(out, null);
        Libav.check(avcodec_parameters_from_context(videoStream.codecpar(), encoder),
            "describing the video stream for", name);
        videoStream.time_base(encoder.time_base());
      }
      if (audioEncoder != null) {
        audioStream = avformat_new_stream(out, null);
        Libav.check(avcodec_parameters_from_context(audioStream.codecpar(), audioEncoder),
            "describing the audio stream for", name);
        audioStream.time_base(audioEncoder.time_base());
      }
      muxOptions = Libav.hlsOptions(playlistFile, s.segmentSeconds(), s.fmp4());
      Libav.check(avformat_write_header(out, muxOptions), "starting the HLS output for", name);
    }

    private void openVideo(EncodeSettings s, int width, int height) {
      this.width = width;
      this.height = height;
      videoPacket = av_packet_alloc();
      AVCodec codec = avcodec_find_encoder_by_name(s.videoEncoder());
      if (codec == null) {
        throw new TranscodeException("the H.264 encoder " + s.videoEncoder()
            + " is not in the libav natives on the classpath");
      }
      encoder = avcodec_alloc_context3(codec);
      encoder.width(width);
      encoder.height(height);
      encoder.pix_fmt(AV_PIX_FMT_YUV420P);
      encoder.time_base(timeBase);
      encoder.framerate(frameRate);
      encoder.sample_aspect_ratio(av_make_q(1, 1));
      encoder.bit_rate(bitrate);
      encoder.rc_max_rate(bitrate * 3 / 2);
      encoder.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, bitrate * 2));
      // keyframes come only where segments start: forced there, never from scene cuts
      int gop = (int) Math.ceil(s.segmentSeconds() * av_q2d(frameRate)) * 2;
      encoder.gop_size(Math.max(gop, 1));
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_CLOSED_GOP);
      if (s.fmp4()) {
        // MP4 keeps SPS and PPS in the init section; MPEG-TS repeats them in every segment
        encoder.flags(encoder.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      encoder.thread_count(0);
      if (s.videoEncoder().equals("libx264")) {
        av_opt_set(encoder.priv_data(), "preset", "fast", 0);
        av_opt_set(encoder.priv_data(), "profile", "high", 0);
        av_opt_set(encoder.priv_data(), "forced-idr", "1", 0);
        av_opt_set(encoder.priv_data(), "x264-params", "scenecut=0:open-gop=0", 0);
      }
      Libav.check(avcodec_open2(encoder, codec, (AVDictionary) null),
          "opening the video encoder (" + s.videoEncoder() + ") for", name);
      if (s.fmp4()) {
        codecs = H264.codecsFromAvcc(encoder.extradata(), encoder.extradata_size()).orElse(null);
      }

      boolean swap = rotator != null && rotator.swapsSides();
      sws = sws_getContext(swap ? videoDecoder.height() : videoDecoder.width(),
          swap ? videoDecoder.width() : videoDecoder.height(), videoDecoder.pix_fmt(),
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

    /**
     * Starts the rendition's thread; with {@code inline}, the rendition runs on the caller's
     * thread instead, each submitted item handled at once (a lone rendition gains nothing from
     * a hand-off: there is no other rendition to keep going meanwhile).
     */
    void start(boolean inline) {
      started = true;
      this.inline = inline;
      if (!inline) {
        WORKERS.execute(this::work);
      }
    }

    private boolean running() {
      return !inline && done.getCount() > 0;
    }

    private void awaitDone() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // cancelled meanwhile: the thread ends with its queue anyway
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * Queues work for the rendition's thread, waiting while the queue is full; throws the
     * rendition's failure instead once it has failed (the work is freed then).
     */
    void submit(Work w) {
      if (inline) {
        try {
          handle(w);
        } finally {
          w.free();
        }
        return;
      }
      boolean queued;
      try {
        while (!(queued = queue.offer(w, 50, TimeUnit.MILLISECONDS))) {
          if (failure != null || !running()) {
            break;
          }
        }
      } catch (InterruptedException e) {
        w.free();
        Thread.currentThread().interrupt();
        throw new TranscodeCancelledException("the transcode of " + name + " was cancelled");
      }
      if (!queued) {
        w.free();
        throwFailure();
        throw new TranscodeException("the encoder thread of " + name + " stopped early");
      }
      // queued, but the thread may have failed since: its queue is freed by close()
      throwFailure();
    }

    /** Waits for the thread to write the trailer; throws what went wrong there. */
    void finish() {
      if (!inline) {
        awaitDone();
      }
      throwFailure();
    }

    /** Throws what made the rendition's thread stop, if anything did. */
    private void throwFailure() {
      Throwable t = failure;
      if (t instanceof RuntimeException e) {
        throw e;
      } else if (t instanceof Error e) {
        throw e;
      } else if (t != null) {
        throw new TranscodeException("encoding " + name + " failed: " + t, t);
      }
    }

    /** The rendition's thread: until {@link Work#END}, {@link Work#STOP} or a failure. */
    private void work() {
      try {
        while (true) {
          Work w = queue.take();
          try {
            if (w == Work.STOP || stopping || handle(w)) {
              return;
            }
          } finally {
            w.free();
          }
        }
      } catch (InterruptedException e) {
        failure = new TranscodeException("the transcode of " + name + " was cancelled");
      } catch (Throwable t) {
        failure = t;
      } finally {
        done.countDown();
      }
    }

    /** Does one item of work; true after {@link Work#END}, when the rendition is finished. */
    private boolean handle(Work w) {
      if (w == Work.END) {
        if (encoder != null) {
          encode(null);
        }
        Libav.check(av_write_trailer(out), "finishing the HLS output", name);
        return true;
      } else if (w.picture() != null) {
        encodePicture(w);
      } else {
        write(w.audio(), audioEncoder, audioStream);
      }
      return false;
    }

    private void encodePicture(Work w) {
      AVFrame picture = w.picture();
      AVFrame frame;
      if (picture.width() == width && picture.height() == height
          && picture.format() == AV_PIX_FMT_YUV420P) {
        frame = picture; // already what the encoder takes: x264 copies it in
      } else {
        Libav.check(av_frame_make_writable(scaled), "preparing a picture for", name);
        Libav.check(sws_scale_frame(sws, scaled, picture), "scaling the video of", name);
        frame = scaled;
      }
      frame.pts(w.pts());
      frame.pict_type(w.keyframe() ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
      encode(frame);
    }

    private void encode(AVFrame frame) {
      Libav.check(avcodec_send_frame(encoder, frame), "encoding the video of", name);
      while (true) {
        int ret = avcodec_receive_packet(encoder, videoPacket);
        if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
          return;
        }
        Libav.check(ret, "encoding the video of", name);
        try {
          if (videoPacket.duration() <= 0) {
            videoPacket.duration(frameDurationTicks()); // the muxer times segments with it
          }
          if (codecs == null) {
            codecs = H264.codecsString(videoPacket.data(), videoPacket.size()).orElse(null);
          }
          write(videoPacket, encoder, videoStream);
        } finally {
          av_packet_unref(videoPacket);
        }
      }
    }

    /** Writes a packet of {@code from} to {@code stream}; the muxer takes the packet's data. */
    void write(AVPacket p, AVCodecContext from, AVStream stream) {
      av_packet_rescale_ts(p, from.time_base(), stream.time_base());
      p.stream_index(stream.index());
      Libav.check(av_interleaved_write_frame(out, p), "writing a segment of", name);
    }

    /** Stops the thread if it still runs, frees what it did not take, then every libav object. */
    void close() {
      if (started && running()) {
        // the caller's thread is the only producer: once emptied, the queue takes the STOP
        stopping = true;
        for (Work w; (w = queue.poll()) != null; ) {
          w.free();
        }
        queue.offer(Work.STOP);
        awaitDone();
      }
      for (Work w; (w = queue.poll()) != null; ) {
        w.free();
      }
      if (videoPacket != null) {
        av_packet_free(videoPacket);
      }
      if (scaled != null) {
        av_frame_free(scaled);
      }
      if (sws != null) {
        sws_freeContext(sws);
      }
      if (encoder != null) {
        avcodec_free_context(encoder);
      }
      if (muxOptions != null) {
        av_dict_free(muxOptions);
      }
      if (out != null) {
        avformat_free_context(out);
      }
    }
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    if (encodedPacket != null) {
      av_packet_free(encodedPacket);
    }
    for (Output o : outputs) {
      o.close();
    }
    if (rotator != null) {
      rotator.close();
    }
    for (AVFrame f : new AVFrame[] {decoded, resampled, audioOut}) {
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
    for (AVCodecContext c : new AVCodecContext[] {videoDecoder, audioDecoder, audioEncoder}) {
      if (c != null) {
        avcodec_free_context(c);
      }
    }
    if (in != null) {
      avformat_close_input(in);
    }
  }
}
