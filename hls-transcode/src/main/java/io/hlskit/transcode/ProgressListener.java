package io.hlskit.transcode;

/**
 * Told how a transcode is going, on the transcoding thread, a few times a second at most; must
 * return quickly.
 */
@FunctionalInterface
public interface ProgressListener {
  void onProgress(Progress progress);

  /** A listener that ignores progress. */
  static ProgressListener none() {
    return p -> {};
  }
}
