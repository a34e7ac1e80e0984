package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import java.io.ByteArrayOutputStream;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avformat.Write_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One MPEG-TS muxer whose output is cut into HLS segments in memory, as libav's own {@code hls}
 * muxer cuts its single TS context: {@link #cut} flushes what the muxer holds and hands the
 * segment's bytes over, and the next packet starts the next segment with the PAT and PMT again.
 * Or one fragmented MP4 muxer (CMAF): its header is the initialization section ({@link #init}),
 * every part or segment it hands over is whole fragments ({@code moof} + {@code mdat}), each
 * flush one fragment, their decode times the channel's timeline itself.
 * Nothing touches the disk: a live segment goes from here to the store.
 *
 * <p>Used by one thread at a time. Every libav object it allocates is freed in {@link #close},
 * whatever happened before.
 */
final class SegmentMuxer implements AutoCloseable {
  private static final int IO_BUFFER = 64 * 1024;
  private static final Opaques<SegmentMuxer> MUXERS = new Opaques<>();
  /** One writer for every muxer (see {@link Opaques}); each muxer is its opaque token. */
  private static final Write_packet_Pointer_BytePointer_int WRITER =
      new Write_packet_Pointer_BytePointer_int() {
        @Override
        public int call(Pointer opaque, BytePointer buf, int size) {
          SegmentMuxer m = MUXERS.get(opaque);
          return m == null ? AVERROR_EXIT() : m.take(buf, size);
        }
      };

  private final String name;
  /** What the muxer wrote since the last part or segment was handed over. */
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 * 1024);
  /** The parts of the segment being written that were handed over already. */
  private final ByteArrayOutputStream parts = new ByteArrayOutputStream(512 * 1024);
  private AVFormatContext out;
  private AVIOContext io;
  private Pointer token;
  private byte[] chunk = new byte[IO_BUFFER];
  private boolean started;
  private final boolean fmp4;
  private byte[] init;

  /** An MPEG-TS muxer. */
  SegmentMuxer(String name) {
    this(name, false);
  }

  /** An MPEG-TS muxer, or with {@code fmp4} a fragmented MP4 one. */
  SegmentMuxer(String name, boolean fmp4) {
    this.name = name;
    this.fmp4 = fmp4;
    try {
      out = new AVFormatContext(null);
      int ret = avformat_alloc_output_context2(out, null, fmp4 ? "mp4" : "mpegts",
          (String) null);
      if (ret < 0) {
        out = null;
        Libav.check(ret, "setting up the " + (fmp4 ? "MP4" : "MPEG-TS") + " muxer for", name);
      }
      token = MUXERS.register(this);
      BytePointer buffer = new BytePointer(av_malloc(IO_BUFFER));
      io = avio_alloc_context(buffer, IO_BUFFER, 1, token, null, WRITER, null);
      if (io == null) {
        av_free(buffer);
        throw new TranscodeException("out of memory setting up the output of " + name);
      }
      out.pb(io);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** What the muxer writes, on the thread that muxes. */
  private int take(BytePointer buf, int size) {
    if (chunk.length < size) {
      chunk = new byte[size];
    }
    buf.get(chunk, 0, size);
    bytes.write(chunk, 0, size);
    return size;
  }

  /** Adds a stream described by an open encoder. */
  AVStream addStream(AVCodecContext encoder) {
    AVStream s = avformat_new_stream(out, null);
    Libav.check(avcodec_parameters_from_context(s.codecpar(), encoder),
        "describing a stream for", name);
    s.time_base(encoder.time_base());
    return s;
  }

  /** Adds a stream copied from an input stream's parameters (a passthrough). */
  AVStream addStream(AVCodecParameters from, AVRational timeBase) {
    AVStream s = avformat_new_stream(out, null);
    Libav.check(avcodec_parameters_copy(s.codecpar(), from), "describing a stream for", name);
    s.codecpar().codec_tag(0); // FLV's tags mean nothing here
    if (fmp4 && from.codec_id() == AV_CODEC_ID_HEVC) {
      s.codecpar().codec_tag(RenditionOutput.HVC1); // what Apple's players require
    }
    s.time_base(timeBase);
    return s;
  }

  /**
   * Writes the header; the streams' time bases are the muxer's from then on (1/90000 in
   * MPEG-TS). In MP4 the header is the initialization section, kept for {@link #init}: an empty
   * {@code moov}, fragments flushed only when told, each carrying its own decode time (the
   * packets' own, not counted from zero), no edit list and no index at the end.
   */
  void start() {
    AVDictionary options = new AVDictionary(null);
    try {
      if (fmp4) {
        av_dict_set(options, "movflags",
            "+frag_custom+empty_moov+default_base_moof+frag_discont+skip_trailer", 0);
        av_dict_set(options, "use_editlist", "0", 0);
        // timestamps stay as they are (the channel's timeline is positive): shifted to start
        // at zero, renditions and sessions would not line up
        out.avoid_negative_ts(AVFormatContext.AVFMT_AVOID_NEG_TS_MAKE_NON_NEGATIVE);
      }
      Libav.check(avformat_write_header(out, options), "starting the "
          + (fmp4 ? "MP4" : "MPEG-TS") + " output for", name);
    } finally {
      av_dict_free(options);
    }
    started = true;
    if (fmp4) {
      avio_flush(io);
      init = bytes.toByteArray();
      bytes.reset();
    }
  }

  /** The initialization section ({@code ftyp} + {@code moov}) of an MP4 muxer; null in TS. */
  byte[] init() {
    return init;
  }

  boolean fmp4() {
    return fmp4;
  }

  /** Writes a packet whose times are in its stream's time base; the packet's data is taken. */
  void write(AVPacket p) {
    Libav.check(av_write_frame(out, p), "writing a segment of", name);
  }

  /**
   * Ends the partial segment being written (Low-Latency HLS): what the muxer holds is flushed
   * into it. The segment goes on; its bytes are the concatenation of its parts.
   *
   * @return the part's bytes
   */
  byte[] part() {
    if (started) {
      Libav.check(av_write_frame(out, (AVPacket) null), "flushing a part of", name);
    }
    avio_flush(io);
    byte[] part = bytes.toByteArray();
    bytes.reset();
    parts.write(part, 0, part.length);
    return part;
  }

  /**
   * Ends the segment being written: what the muxer holds is flushed into it, and the next packet
   * begins the next one with the stream tables (PAT, PMT) that a player joining there needs.
   *
   * @return the segment's bytes, its parts' included
   */
  byte[] cut() {
    Libav.check(av_write_frame(out, (AVPacket) null), "flushing a segment of", name);
    avio_flush(io);
    byte[] segment = takeSegment();
    if (!fmp4) {
      av_opt_set(out.priv_data(), "mpegts_flags", "resend_headers", 0);
    }
    return segment;
  }

  /** The segment's bytes written so far, its parts' included; the next segment starts empty. */
  byte[] takeSegment() {
    byte[] segment;
    if (parts.size() == 0) {
      segment = bytes.toByteArray();
    } else {
      parts.write(bytes.toByteArray(), 0, bytes.size());
      segment = parts.toByteArray();
    }
    bytes.reset();
    parts.reset();
    return segment;
  }

  /** Ends the stream: the muxer's last bytes join the segment (and part) being written. */
  void trailer() {
    if (started) {
      started = false;
      Libav.check(av_write_trailer(out), "finishing the output of", name);
    }
    avio_flush(io);
  }

  /** Ends the last segment and the stream; its bytes. */
  byte[] finish() {
    trailer();
    return takeSegment();
  }

  /** How many bytes of the segment being written the muxer has handed over so far. */
  int pending() {
    return bytes.size() + parts.size();
  }

  /** How many bytes of the part being written the muxer has handed over so far. */
  int pendingInPart() {
    return bytes.size();
  }

  @Override
  public void close() {
    if (out != null) {
      out.pb(null);
      avformat_free_context(out);
      out = null;
    }
    if (io != null) {
      av_free(io.buffer());
      avio_context_free(io);
      io = null;
    }
    MUXERS.release(token);
    token = null;
  }
}
