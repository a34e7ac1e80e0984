package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libav's own log, sent to SLF4J (logger {@value #LOGGER}) instead of straight to the process's
 * standard error, so that it lands where the application's log goes, with its level and thread.
 * libav's level filter ({@code av_log_set_level}) still applies; its errors come out as
 * warnings, because the failures that matter reach the caller as exceptions anyway.
 */
public final class LibavLog extends LogCallback {
  /** The logger name libav's messages use. */
  public static final String LOGGER = "io.hlskit.transcode.libav";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  // held for good: libav keeps calling the native thunk of this object
  private static final LibavLog INSTANCE = new LibavLog();
  private static boolean installed;

  private LibavLog() {
    super();
  }

  /** Routes libav's log through SLF4J from now on; idempotent. */
  public static synchronized void install() {
    if (!installed) {
      setLogCallback(INSTANCE);
      installed = true;
    }
  }

  @Override
  public void call(int level, BytePointer message) {
    if (level > av_log_get_level()) {
      return;
    }
    String text = message.getString().strip();
    if (text.isEmpty()) {
      return;
    }
    if (level <= AV_LOG_ERROR) {
      LOG.warn("{}", text);
    } else if (level <= AV_LOG_WARNING) {
      LOG.info("{}", text);
    } else if (level <= AV_LOG_INFO) {
      LOG.debug("{}", text);
    } else {
      LOG.trace("{}", text);
    }
  }
}
