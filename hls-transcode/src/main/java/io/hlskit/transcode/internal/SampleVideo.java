package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Writes a synthetic video with libav: a moving gradient with a square crossing it and a tone,
 * so that a first run of the demo has something to show and tests make their own inputs instead
 * of committing media files. Not part of the API: the demo, the tests and the benchmarks use it.
 */
public final class SampleVideo {
  private SampleVideo() {}

  /**
   * What to make.
   *
   * @param width picture width (even for libx264; other encoders such as ffv1 take odd sizes)
   * @param height picture height
   * @param fps frames per second (the average, when {@code variableFrameRate})
   * @param seconds length
   * @param toneHz the tone's frequency; 0 for no audio stream at all
   * @param container a libav muxer name: {@code mp4}, {@code matroska}, {@code mov}, ...
   * @param videoCodec a libav encoder name: {@code libx264}, {@code mpeg4}, ...; {@code none}
   *     for a sound file
   * @param rotation display rotation metadata in degrees, as a phone writes it (0 for none)
   * @param pixelFormat a libav pixel format name: {@code yuv420p}, {@code yuv420p10le}, ...
   * @param audioChannels channels of the tone: 2, or 6 for 5.1
   * @param variableFrameRate frames at uneven intervals (one and three ticks of 1/(2 fps) in
   *     turn), as phones record
   * @param coverArt the video is one still picture attached to the sound (album art, as music
   *     files carry it) instead of moving pictures; {@code videoCodec} is then {@code mjpeg}
   */
  public record Spec(int width, int height, int fps, double seconds, int toneHz, String container,
      String videoCodec, int rotation, String pixelFormat, int audioChannels,
      boolean variableFrameRate, boolean coverArt) {
    public Spec(int width, int height, int fps, double seconds, int toneHz, String container,
        String videoCodec, int rotation) {
      this(width, height, fps, seconds, toneHz, container, videoCodec, rotation, "yuv420p", 2,
          false, false);
    }

    public Spec(int width, int height, int fps, double seconds, int toneHz, String container,
        String videoCodec) {
      this(width, height, fps, seconds, toneHz, container, videoCodec, 0);
    }

    /** An H.264/AAC MP4 at 25 fps with a 440 Hz tone. */
    public static Spec mp4(int width, int height, double seconds) {
      return new Spec(width, height, 25, seconds, 440, "mp4", "libx264");
    }

    /** A sound file: a 440 Hz tone in AAC, in an MP4 (an {@code .m4a}), no pictures. */
    public static Spec soundOnly(double seconds) {
      return new Spec(0, 0, 25, seconds, 440, "mp4", "none");
    }

    /** The same sound with a {@code width x height} JPEG attached as its cover art. */
    public Spec withCoverArt(int coverWidth, int coverHeight) {
      return new Spec(coverWidth, coverHeight, fps, seconds, toneHz, container, "mjpeg", 0,
          "yuvj420p", audioChannels, false, true);
    }

    boolean video() {
      return !videoCodec.equals("none");
    }

    /** The same without an audio stream. */
    public Spec withoutAudio() {
      return withTone(0);
    }

    /** The same with a tone of {@code hz}. */
    public Spec withTone(int hz) {
      return new Spec(width, height, fps, seconds, hz, container, videoCodec, rotation,
          pixelFormat, audioChannels, variableFrameRate, coverArt);
    }

    /** The same in another container and video codec. */
    public Spec in(String container, String videoCodec) {
      return new Spec(width, height, fps, seconds, toneHz, container, videoCodec, rotation,
          pixelFormat, audioChannels, variableFrameRate, coverArt);
    }

    /** The same with display rotation metadata, as a phone held upright writes it (90). */
    public Spec rotated(int degrees) {
      return new Spec(width, height, fps, seconds, toneHz, container, videoCodec, degrees,
          pixelFormat, audioChannels, variableFrameRate, coverArt);
    }

    /** The same in another pixel format, such as {@code yuv420p10le}. */
    public Spec withPixelFormat(String format) {
      return new Spec(width, height, fps, seconds, toneHz, container, videoCodec, rotation,
          format, audioChannels, variableFrameRate, coverArt);
    }

    /** The same with the tone on {@code channels} channels (6: 5.1). */
    public Spec withAudioChannels(int channels) {
      return new Spec(width, height, fps, seconds, toneHz, container, videoCodec, rotation,
          pixelFormat, channels, variableFrameRate, coverArt);
    }

    /** The same with frames at uneven intervals. */
    public Spec withVariableFrameRate() {
      return new Spec(width, height, fps, seconds, toneHz, container, videoCodec, rotation,
          pixelFormat, audioChannels, true, coverArt);
    }

    boolean audio() {
      return toneHz > 0;
    }
  }

  /**
   * Writes the video to {@code file}.
   *
   * @throws io.hlskit.core.TranscodeException when libav refuses (an unknown container or codec)
   */
  public static void write(Path file, Spec spec) {
    String name = file.toString();
    AVFormatContext out = new AVFormatContext(null);
    AVCodecContext video = null;
    AVCodecContext audio = null;
    AVFrame picture = av_frame_alloc();
    AVFrame sound = av_frame_alloc();
    AVPacket packet = av_packet_alloc();
    try {
      Libav.check(avformat_alloc_output_context2(out, null, spec.container(), name), "muxer",
          name);
      AVStream vs = null;
      int pixelFormat = av_get_pix_fmt(spec.pixelFormat());
      if (spec.video()) {
        AVCodec vc = avcodec_find_encoder_by_name(spec.videoCodec());
        video = avcodec_alloc_context3(vc);
        video.width(spec.width());
        video.height(spec.height());
        if (pixelFormat < 0) {
          throw new io.hlskit.core.TranscodeException("unknown pixel format "
              + spec.pixelFormat());
        }
        video.pix_fmt(pixelFormat);
        // variable frame rate: ticks of half a frame, frames one and three ticks apart in turn
        int ticksPerFrame = spec.variableFrameRate() ? 2 : 1;
        video.time_base(av_make_q(1, spec.fps() * ticksPerFrame));
        video.framerate(av_make_q(spec.fps(), 1));
        video.gop_size(spec.fps() * 2);
        video.bit_rate(400_000);
        if ((out.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
          video.flags(video.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if (spec.videoCodec().equals("libx264")) {
          av_opt_set(video.priv_data(), "preset", "ultrafast", 0);
        }
        Libav.check(avcodec_open2(video, vc, (AVDictionary) null), "video encoder", name);
        vs = avformat_new_stream(out, null);
        avcodec_parameters_from_context(vs.codecpar(), video);
        vs.time_base(video.time_base());
        if (spec.rotation() != 0) {
          addDisplayMatrix(vs.codecpar(), spec.rotation());
        }
        if (spec.coverArt()) {
          vs.disposition(AV_DISPOSITION_ATTACHED_PIC);
        }
      }

      AVStream as = null;
      if (spec.audio()) {
        AVCodec ac = avcodec_find_encoder(AV_CODEC_ID_AAC);
        audio = avcodec_alloc_context3(ac);
        audio.sample_fmt(AV_SAMPLE_FMT_FLTP);
        audio.sample_rate(44_100);
        av_channel_layout_default(audio.ch_layout(), spec.audioChannels());
        audio.bit_rate(96_000);
        audio.time_base(av_make_q(1, 44_100));
        if ((out.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
          audio.flags(audio.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        Libav.check(avcodec_open2(audio, ac, (AVDictionary) null), "audio encoder", name);
        as = avformat_new_stream(out, null);
        avcodec_parameters_from_context(as.codecpar(), audio);
        as.time_base(audio.time_base());
      }
      AVIOContext pb = new AVIOContext(null);
      Libav.check(avio_open(pb, name, AVIO_FLAG_WRITE), "open", name);
      out.pb(pb);
      Libav.check(avformat_write_header(out, (AVDictionary) null), "header", name);

      if (video != null) {
        picture.format(pixelFormat);
        picture.width(spec.width());
        picture.height(spec.height());
        av_frame_get_buffer(picture, 0);
      }
      if (spec.coverArt()) {
        // the one picture of the file, written before the sound as music files hold it
        paint(picture, 0);
        picture.pts(0);
        encode(out, video, vs, picture, packet, name);
        encode(out, video, vs, null, packet, name);
      }
      int frames = (int) Math.round(spec.seconds() * spec.fps());
      long samples = 0;
      long totalSamples = Math.round(spec.seconds() * 44_100);
      boolean moving = spec.video() && !spec.coverArt();
      for (int i = 0; i < frames; i++) {
        if (moving) {
          av_frame_make_writable(picture);
          paint(picture, i);
          picture.pts(spec.variableFrameRate() ? 2L * i + (i % 2) : i);
          encode(out, video, vs, picture, packet, name);
        }
        while (audio != null && samples < Math.min(totalSamples, (long) (i + 1) * 44_100
            / spec.fps())) {
          av_frame_unref(sound);
          sound.format(AV_SAMPLE_FMT_FLTP);
          sound.sample_rate(44_100);
          av_channel_layout_copy(sound.ch_layout(), audio.ch_layout());
          sound.nb_samples(audio.frame_size());
          av_frame_get_buffer(sound, 0);
          for (int ch = 0; ch < spec.audioChannels(); ch++) {
            FloatPointer data = new FloatPointer(sound.data(ch));
            for (int s = 0; s < audio.frame_size(); s++) {
              data.put(s, (float) (0.3 * Math.sin(2 * Math.PI * spec.toneHz() * (samples + s)
                  / 44_100.0)));
            }
          }
          sound.pts(samples);
          samples += audio.frame_size();
          encode(out, audio, as, sound, packet, name);
        }
      }
      if (moving) {
        encode(out, video, vs, null, packet, name);
      }
      if (audio != null) {
        encode(out, audio, as, null, packet, name);
      }
      Libav.check(av_write_trailer(out), "trailer", name);
    } finally {
      av_packet_free(packet);
      av_frame_free(picture);
      av_frame_free(sound);
      if (video != null) {
        avcodec_free_context(video);
      }
      if (audio != null) {
        avcodec_free_context(audio);
      }
      if (out.pb() != null) {
        avio_closep(out.pb());
      }
      avformat_free_context(out);
    }
  }

  /** Adds rotation side data to the stream, as phones do for a video shot upright. */
  private static void addDisplayMatrix(AVCodecParameters codecpar, int degrees) {
    try (PointerPointer<AVPacketSideData> array = new PointerPointer<>(1);
        IntPointer count = new IntPointer(1)) {
      array.put(0, codecpar.coded_side_data());
      count.put(0, codecpar.nb_coded_side_data());
      AVPacketSideData sd = av_packet_side_data_new(array, count, AV_PKT_DATA_DISPLAYMATRIX,
          9 * 4, 0);
      if (sd == null || sd.isNull()) {
        throw new io.hlskit.core.TranscodeException("cannot add rotation metadata");
      }
      // av_display_rotation_set turns counterclockwise; readers turn the picture back
      av_display_rotation_set(new IntPointer(sd.data()), -degrees);
      codecpar.coded_side_data(new AVPacketSideData(array.get(0)));
      codecpar.nb_coded_side_data(count.get(0));
    }
  }

  /** A gradient that moves, and a square that crosses the picture, so motion is real. */
  private static void paint(AVFrame f, int i) {
    int w = f.width();
    int h = f.height();
    BytePointer y = f.data(0);
    int ls = f.linesize(0);
    int square = Math.max(8, h / 4);
    int sx = (i * 4) % Math.max(1, w - square);
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        boolean inSquare = col >= sx && col < sx + square && row >= h / 3 && row < h / 3 + square;
        y.put((long) row * ls + col, (byte) (inSquare ? 235 : (col + row + i * 3) & 0xff));
      }
    }
    for (int plane = 1; plane <= 2; plane++) {
      BytePointer p = f.data(plane);
      int lsp = f.linesize(plane);
      for (int row = 0; row < h / 2; row++) {
        for (int col = 0; col < w / 2; col++) {
          p.put((long) row * lsp + col, (byte) (128 + (plane == 1 ? i : -i) % 64));
        }
      }
    }
  }

  private static void encode(AVFormatContext out, AVCodecContext enc, AVStream st, AVFrame frame,
      AVPacket packet, String name) {
    Libav.check(avcodec_send_frame(enc, frame), "encode", name);
    while (true) {
      int ret = avcodec_receive_packet(enc, packet);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "encode", name);
      av_packet_rescale_ts(packet, enc.time_base(), st.time_base());
      packet.stream_index(st.index());
      Libav.check(av_interleaved_write_frame(out, packet), "write", name);
    }
  }
}
