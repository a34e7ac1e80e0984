package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import io.hlskit.transcode.internal.live.MediaPipe;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A live stream opened for libav: FLV from a publisher's {@link MediaPipe} through a custom I/O
 * context (libav's FLV demuxer reads the codecs, Enhanced RTMP's HEVC and AV1 included), or a URL
 * libav opens itself (an SRT listener). Stream information is read from the first second.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before; the
 * format context goes with the {@link Source} that takes it.
 */
public final class LiveInput implements AutoCloseable {
  private static final int IO_BUFFER = 32 * 1024;
  private static final Opaques<LiveInput> INPUTS = new Opaques<>();
  /** One reader for every input (see {@link Opaques}); each input is its opaque token. */
  private static final Read_packet_Pointer_BytePointer_int READER =
      new Read_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
          LiveInput input = INPUTS.get(opaque);
          return input == null ? AVERROR_EXIT() : input.read(buf, size);
        }
      };
  /** One interrupt check for every input. */
  private static final AVIOInterruptCB.Callback_Pointer INTERRUPT =
      new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
          LiveInput input = INPUTS.get(opaque);
          return input == null || input.interrupted() ? 1 : 0;
        }
      };

  private final String name;
  private Pointer token;
  /** The SRT input's context, which the interrupt check reads while libav works on it. */
  private AVFormatContext watched;
  private volatile long bytesRead;
  private MediaPipe pipe;
  private long idleMillis;
  private final byte[] chunk = new byte[IO_BUFFER];
  private BooleanSupplier abort;
  private AVIOContext io;
  private AVFormatContext in;

  private LiveInput(String name) {
    this.name = name;
    this.token = INPUTS.register(this);
  }

  /** The name logs and errors give the stream. */
  public String name() {
    return name;
  }

  /**
   * Opens the FLV stream a publisher sends into {@code pipe}.
   *
   * @param idleMillis how long the reader waits for bytes before it takes the stream as ended
   */
  public static LiveInput flv(String name, MediaPipe pipe, long idleMillis) {
    return piped(name, pipe, idleMillis, "flv");
  }

  /**
   * Opens the stream a sender writes into {@code pipe} in container {@code container}: {@code
   * flv} (RTMP), {@code webm} or {@code mp4} (a browser's {@code MediaRecorder}), or null to
   * have libav's probe tell from the first bytes.
   *
   * @param idleMillis how long the reader waits for bytes before it takes the stream as ended
   * @throws TranscodeException when the bytes are not a stream of that container with video
   *     that libav decodes
   */
  public static LiveInput piped(String name, MediaPipe pipe, long idleMillis, String container) {
    LiveInput input = new LiveInput(name);
    try {
      input.openPiped(pipe, idleMillis, container);
      return input;
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  /**
   * Listens for one SRT caller on UDP {@code host:port} and opens its stream, MPEG-TS inside;
   * returns once a caller with {@code passphrase} (10 to 64 characters) has connected and its
   * codecs are known. A caller with another passphrase, or none, is turned away by libsrt's
   * handshake and never reaches this listener.
   *
   * @param idleMillis how long the stream may send nothing before it counts as ended
   * @param abort asked while waiting and reading (on this thread): true stops either, and the
   *     open or the read then fails or ends
   * @throws TranscodeException when the port cannot be listened on, no caller came before
   *     {@code abort}, or the stream is not one libav reads
   */
  public static LiveInput srt(String name, String host, int port, String passphrase,
      long idleMillis, BooleanSupplier abort) {
    LiveInput input = new LiveInput(name);
    try {
      input.openSrt(host, port, passphrase, idleMillis, abort);
      return input;
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  /** Bytes read from the network so far; read from any thread. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Reads what the publisher sent, on the pipeline's thread. */
  private int read(BytePointer buf, int size) {
    try {
      int n = pipe.read(chunk, Math.min(size, chunk.length), idleMillis);
      if (n < 0) {
        return AVERROR_EOF();
      }
      buf.position(0).put(chunk, 0, n);
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AVERROR_EXIT();
    }
  }

  /** Asked by libsrt every 100 ms while it waits: the moment to note what came so far. */
  private boolean interrupted() {
    AVIOContext pb = watched == null ? null : watched.pb();
    if (pb != null) {
      bytesRead = pb.bytes_read();
    }
    return abort != null && abort.getAsBoolean();
  }

  private void openPiped(MediaPipe pipe, long idleMillis, String container) {
    this.pipe = pipe;
    this.idleMillis = idleMillis;
    BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
    io = avio_alloc_context(buffer, IO_BUFFER, 0, token, READER, null, null);
    if (io == null) {
      av_free(buffer);
      throw new TranscodeException("out of memory opening the stream of " + name);
    }
    in = avformat_alloc_context();
    in.pb(io); // libav then takes it as custom I/O, left for us to free
    if (container == null) {
      open(name, null, "the stream of " + name + " could not be opened: it is no media libav"
          + " reads; send WebM (VP8, VP9 or H.264 with Opus) or fragmented MP4 (H.264 + AAC)");
    } else if (container.equals("flv")) {
      open(name, av_find_input_format("flv"), "the stream of " + name + " could not be"
          + " opened; is it FLV with H.264, HEVC or AV1 video?");
    } else {
      // libav's names: Matroska's demuxer reads WebM, the MOV one fragmented MP4
      String demuxer = container.equals("webm") ? "matroska" : "mov";
      try {
        open(name, av_find_input_format(demuxer), "the stream of " + name + " could not be"
            + " opened as " + container + "; send what MediaRecorder makes (WebM with VP8, VP9"
            + " or H.264 and Opus; fragmented MP4 with H.264 and AAC) from its first chunk on");
      } catch (TranscodeException e) {
        if (pipe.total() == 0) { // not bad media: none came before the sender ended or went quiet
          throw new TranscodeException("no media came in the stream of " + name + " before"
              + " its sender ended or went quiet");
        }
        throw e;
      }
    }
  }

  private void openSrt(String host, int port, String passphrase, long idleMillis,
      BooleanSupplier abort) {
    this.abort = abort;
    in = avformat_alloc_context();
    in.interrupt_callback().callback(INTERRUPT);
    in.interrupt_callback().opaque(token);
    watched = in;
    // the passphrase stays out of every message: errors name the stream, never this URL
    String url = "srt://" + host + ":" + port + "?mode=listener&transtype=live&pbkeylen=16"
        + "&passphrase=" + passphrase + "&timeout=" + idleMillis * 1000;
    open(url, av_find_input_format("mpegts"), "no SRT stream came in on UDP port " + port
        + " (the port taken by another program, the listener stopped, or not MPEG-TS with"
        + " H.264, HEVC or AV1 video)");
  }

  private void open(String url, AVInputFormat format, String failure) {
    AVDictionary options = new AVDictionary(null);
    try {
      // a live stream: decide on the codecs from the first second, not the default five
      av_dict_set(options, "analyzeduration", "1000000", 0);
      av_dict_set(options, "probesize", "2000000", 0);
      int ret = avformat_open_input(in, url, format, options);
      if (ret < 0) {
        in = null; // freed by libav on failure
        throw new TranscodeException(failure, Libav.error(ret));
      }
    } finally {
      av_dict_free(options);
    }
    Libav.check(avformat_find_stream_info(in, (PointerPointer<?>) null),
        "reading the streams of", name);
  }

  /** Hands the open format context to the caller, who closes it from then on. */
  AVFormatContext take() {
    AVFormatContext taken = in;
    in = null;
    return taken;
  }

  @Override
  public void close() {
    if (in != null) {
      avformat_close_input(in);
      in = null;
    }
    if (io != null) {
      av_free(io.buffer());
      avio_context_free(io);
      io = null;
    }
    INPUTS.release(token); // callbacks from now on find nothing, and stop
    token = null;
  }
}
