package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import io.hlskit.transcode.internal.live.MediaPipe;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
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

  private final String name;
  private AVIOContext io;
  private Read_packet_Pointer_BytePointer_int reader;
  private AVFormatContext in;

  private LiveInput(String name) {
    this.name = name;
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
    LiveInput input = new LiveInput(name);
    try {
      input.openFlv(pipe, idleMillis);
      return input;
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  /** Opens {@code url} with libav's own protocols ({@code srt://...}), MPEG-TS inside. */
  public static LiveInput url(String name, String url, String format) {
    LiveInput input = new LiveInput(name);
    try {
      input.openUrl(url, format);
      return input;
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  private void openFlv(MediaPipe pipe, long idleMillis) {
    reader = new Read_packet_Pointer_BytePointer_int() {
      private final byte[] chunk = new byte[IO_BUFFER];

      @Override
      public int call(Pointer opaque, BytePointer buf, int size) {
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
    };
    BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
    io = avio_alloc_context(buffer, IO_BUFFER, 0, null, reader, null, null);
    if (io == null) {
      av_free(buffer);
      throw new TranscodeException("out of memory opening the stream of " + name);
    }
    in = avformat_alloc_context();
    in.pb(io); // libav then takes it as custom I/O, left for us to free
    open(name, av_find_input_format("flv"));
  }

  private void openUrl(String url, String format) {
    in = new AVFormatContext(null);
    open(url, format == null ? null : av_find_input_format(format));
  }

  private void open(String url, AVInputFormat format) {
    AVDictionary options = new AVDictionary(null);
    try {
      // a live stream: decide on the codecs from the first second, not the default five
      av_dict_set(options, "analyzeduration", "1000000", 0);
      av_dict_set(options, "probesize", "2000000", 0);
      int ret = avformat_open_input(in, url, format, options);
      if (ret < 0) {
        in = null; // freed by libav on failure
        throw new TranscodeException("the stream of " + name + " could not be opened; is it"
            + " FLV (RTMP) or MPEG-TS (SRT) with H.264, HEVC or AV1 video?", Libav.error(ret));
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
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
