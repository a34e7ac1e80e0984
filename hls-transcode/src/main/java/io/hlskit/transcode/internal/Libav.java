package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.hlskit.core.TranscodeException;
import java.nio.charset.StandardCharsets;

/** libav return codes into exceptions that name the input, the stage and libav's message. */
public final class Libav {
  private Libav() {}

  /** libav's text for an error code. */
  public static String error(int code) {
    byte[] buffer = new byte[256];
    av_strerror(code, buffer, buffer.length);
    int n = 0;
    while (n < buffer.length && buffer[n] != 0) {
      n++;
    }
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }

  /** Returns {@code code} when it is not an error, else throws for {@code stage}. */
  public static int check(int code, String stage, String input) {
    if (code < 0) {
      throw new TranscodeException(stage + " failed for " + input, error(code));
    }
    return code;
  }
}
