package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * One rendition of a transcode: its scaler, H.264 encoder and HLS muxer, and where the muxer
 * cuts its segments. Once {@link #start}ed it is used only by its own thread (or, inline, by the
 * caller's), fed through a short queue of {@link Work}; before and after, by the caller's thread.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before, and
 * so is every piece of work still queued.
 */
final class RenditionOutput implements AutoCloseable {
  /** Frames and packets waiting for a rendition's thread: a few, so memory stays bounded. */
  private static final int QUEUE = 8;
  /** The most audio packets held back for the pictures to catch up: about 20 s of AAC. */
  private static final int MAX_HELD_AUDIO = 1000;
  /** The MP4 sample entry {@code hvc1}, as libav's MKTAG makes it. */
  static final int HVC1 = 'h' | ('v' << 8) | ('c' << 16) | ('1' << 24);

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
  record Work(AVFrame picture, AVPacket audio, long pts, boolean keyframe) {
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

  private final Source source;
  private final String name;
  /** What to make; null for audio only. */
  private final EncodeSettings.Rendition spec;
  /** The shared AAC encoder, null without audio. */
  private final AVCodecContext audioEncoder;
  /** Asked on the decoding thread while it waits for room in the queue. */
  private final BooleanSupplier cancelled;
  private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUE);
  private final CountDownLatch done = new CountDownLatch(1);
  private boolean started;
  private boolean inline;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private int width;
  private int height;
  private boolean fmp4;
  private AVPacket videoPacket;
  private SwsContext sws;
  private AVFrame scaled;
  private AVCodecContext encoder;
  private AVFormatContext out;
  private AVDictionary muxOptions;
  private AVStream videoStream;
  private AVStream audioStream;
  private SegmentCuts cuts;
  private String codecs;
  private Path playlist;
  /**
   * Audio packets not yet known to end before the pictures do: the sound ends with the picture,
   * so that channels played one after another (a linear channel) never overlap their sound and
   * players lining items up by their first picture see time stamps that only grow; held packets
   * are freed in {@link #close} if the rendition fails.
   */
  private final ArrayDeque<AVPacket> heldAudio = new ArrayDeque<>();
  /** Where the pictures handed to the encoder end, in its time base; none yet: MIN_VALUE. */
  private long videoEnd = Long.MIN_VALUE;

  RenditionOutput(Source source, EncodeSettings.Rendition spec, AVCodecContext audioEncoder,
      BooleanSupplier cancelled) {
    this.cancelled = cancelled;
    this.source = source;
    this.name = source.name;
    this.spec = spec;
    this.audioEncoder = audioEncoder;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Opens the rendition into {@code playlistFile}; {@code width} 0 for audio only. */
  void open(Path playlistFile, EncodeSettings s, int width, int height) {
    playlist = playlistFile;
    fmp4 = s.fmp4();
    try {
      Files.createDirectories(playlistFile.getParent());
    } catch (IOException e) {
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
      if (spec.hevc()) {
        // hvc1: parameter sets in the init section only, the tag Apple's players require
        videoStream.codecpar().codec_tag(HVC1);
      }
    }
    if (audioEncoder != null) {
      audioStream = avformat_new_stream(out, null);
      Libav.check(avcodec_parameters_from_context(audioStream.codecpar(), audioEncoder),
          "describing the audio stream for", name);
      audioStream.time_base(audioEncoder.time_base());
    }
    muxOptions = Libav.hlsOptions(playlistFile, s.segmentSeconds(), s.fmp4());
    Libav.check(avformat_write_header(out, muxOptions), "starting the HLS output for", name);
    // the time bases are the muxer's once the header is written
    cuts = encoder != null
        ? new SegmentCuts(s.segmentSeconds(), true, audioStream != null, videoStream.time_base())
        : new SegmentCuts(s.segmentSeconds(), false, false, audioStream.time_base());
  }

  private void openVideo(EncodeSettings s, int width, int height) {
    this.width = width;
    this.height = height;
    videoPacket = av_packet_alloc();
    // keyframes come only where segments start; MP4 keeps the parameter sets in the init
    // section, MPEG-TS repeats them in every segment
    encoder = VideoEncoders.open(spec, width, height, source.timeBase, source.frameRate,
        s.segmentSeconds(), false, s.fmp4(), name);
    if (s.fmp4()) {
      codecs = (spec.hevc()
          ? Hevc.codecsFromExtradata(encoder.extradata(), encoder.extradata_size())
          : H264.codecsFromAvcc(encoder.extradata(), encoder.extradata_size())).orElse(null);
    }
    sws = VideoEncoders.scaler(source, width, height, name);
    scaled = VideoEncoders.picture(width, height, name);
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
      while (!(queued = queue.offer(w, 20, TimeUnit.MILLISECONDS))) {
        if (failure != null || !running()) {
          break;
        }
        if (cancelled.getAsBoolean()) {
          w.free();
          throw new TranscodeCancelledException("the transcode of " + name + " was cancelled");
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

  /**
   * Waits for the thread to write the trailer, then says what was made.
   *
   * @param totalSeconds how long the rendition plays, which times its last segment
   * @throws RuntimeException what went wrong on the rendition's thread
   */
  EncodeResult.Rendition finish(double totalSeconds) {
    if (!inline) {
      awaitDone();
    }
    throwFailure();
    return new EncodeResult.Rendition(spec == null ? null : spec.name(), width, height,
        encoder == null ? 0 : spec.videoBitrate(), codecs,
        cuts.segments(totalSeconds, playlist, fmp4, name),
        fmp4 ? Optional.of(Libav.initFile(playlist)) : Optional.empty());
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
      if (stopping && encoder != null) {
        // Stopped early: nothing more is encoded or written, but the encoder's own threads
        // finish the frames and the look-ahead they hold before it can be freed (up to 0.8 s
        // for libx264 at 1080p on two cores). That is freed on a thread of its own, so that
        // a cancel ends the transcode at once; the encoder took copies of our pictures, so it
        // holds nothing else of ours.
        AVCodecContext held = encoder;
        encoder = null;
        WORKERS.execute(() -> avcodec_free_context(held));
      }
      done.countDown();
    }
  }

  /** Does one item of work; true after {@link Work#END}, when the rendition is finished. */
  private boolean handle(Work w) {
    if (w == Work.END) {
      if (encoder != null) {
        encode(null);
      }
      releaseAudio(true);
      Libav.check(av_write_trailer(out), "finishing the HLS output", name);
      return true;
    } else if (w.picture() != null) {
      encodePicture(w);
      videoEnd = Math.max(videoEnd, w.pts() + source.frameDurationTicks());
      releaseAudio(false);
    } else if (videoStream == null) {
      write(w.audio(), audioEncoder, audioStream);
    } else {
      AVPacket held = av_packet_alloc();
      av_packet_move_ref(held, w.audio());
      heldAudio.add(held);
      releaseAudio(false);
    }
    return false;
  }

  /**
   * Writes the held audio that ends before the pictures' end; at the end, drops the rest (at
   * most a few AAC frames past the last picture, which the channel's duration leaves out too).
   */
  private void releaseAudio(boolean end) {
    while (!heldAudio.isEmpty()) {
      AVPacket p = heldAudio.peek();
      // The next channel's sound starts with the encoder's priming, one frame before its
      // picture: a packet is kept when it ends that long before the picture does. And a file
      // whose picture stops long before its sound goes on having its sound written.
      long endWithPriming = p.pts() + p.duration() + audioEncoder.initial_padding();
      boolean beforeVideoEnd = heldAudio.size() > MAX_HELD_AUDIO || videoEnd != Long.MIN_VALUE
          && av_compare_ts(endWithPriming, audioEncoder.time_base(), videoEnd,
              encoder.time_base()) <= 0;
      if (!beforeVideoEnd && !end) {
        return;
      }
      heldAudio.poll();
      try {
        if (beforeVideoEnd) {
          write(p, audioEncoder, audioStream);
        }
      } finally {
        av_packet_free(p);
      }
    }
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
          // the muxer times segments with it
          videoPacket.duration(source.frameDurationTicks());
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
  private void write(AVPacket p, AVCodecContext from, AVStream stream) {
    av_packet_rescale_ts(p, from.time_base(), stream.time_base());
    p.stream_index(stream.index());
    if (stream == videoStream || videoStream == null) {
      cuts.reference(p.pts(), p.dts(), (p.flags() & AV_PKT_FLAG_KEY) != 0);
    } else {
      cuts.other(p.pts(), p.dts(), stream.time_base());
    }
    Libav.check(av_interleaved_write_frame(out, p), "writing a segment of", name);
  }

  /**
   * Tells the thread, if it still runs, to stop after what it is doing, without waiting for it:
   * a transcode stopping several renditions tells them all, then closes each.
   */
  void stop() {
    if (started && running() && !stopping) {
      // the caller's thread is the only producer: once emptied, the queue takes the STOP
      stopping = true;
      for (Work w; (w = queue.poll()) != null; ) {
        w.free();
      }
      queue.offer(Work.STOP);
    }
  }

  /** Stops the thread if it still runs, frees what it did not take, then every libav object. */
  @Override
  public void close() {
    if (started && running()) {
      stop();
      awaitDone();
    }
    for (Work w; (w = queue.poll()) != null; ) {
      w.free();
    }
    for (AVPacket p; (p = heldAudio.poll()) != null; ) {
      av_packet_free(p);
    }
    if (videoPacket != null) {
      av_packet_free(videoPacket);
    }
    VideoEncoders.free(encoder, sws, scaled);
    encoder = null;
    if (muxOptions != null) {
      av_dict_free(muxOptions);
    }
    if (out != null) {
      avformat_free_context(out);
    }
  }
}
