package io.hlskit.transcode;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import io.hlskit.core.internal.Folders;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Stops a transcode that is cancelled or crosses its limits: decoded past the longest input (a
 * header can understate), wrote more than its output cap, or ran longer than its time. Told each
 * decoded frame's time on the decoding thread; output is measured once a second.
 */
final class TranscodeGuard implements LongConsumer {
  /** Whether a transcode was cancelled, and the exception that says so. */
  record Cancel(BooleanSupplier requested, Supplier<TranscodeCancelledException> exception) {
    /** Throws when the transcode was cancelled. */
    void check() {
      if (requested.getAsBoolean()) {
        throw exception.get();
      }
    }
  }

  private final TranscodeLimits limits;
  private final Path work;
  private final long started;
  private final Path input;
  private final Cancel cancel;
  private long lastMeasured;

  TranscodeGuard(TranscodeLimits limits, Path work, long started, Path input, Cancel cancel) {
    this.limits = limits;
    this.work = work;
    this.started = started;
    this.input = input;
    this.cancel = cancel;
  }

  @Override
  public void accept(long micros) {
    cancel.check();
    if (micros > limits.maxDuration().toNanos() / 1000) {
      throw new TranscodeException(input + " plays longer than the "
          + limits.maxDuration().toMinutes() + " min this transcoder takes"
          + " (TranscodeLimits.maxDuration)");
    }
    long now = System.nanoTime();
    if (now - started > limits.maxTime().toNanos()) {
      throw new TranscodeException("the transcode of " + input + " ran past its "
          + limits.maxTime().toMinutes() + " min (TranscodeLimits.maxTime)");
    }
    if (now - lastMeasured >= 1_000_000_000L) {
      lastMeasured = now;
      checkOutput();
    }
  }

  void checkOutput() {
    if (Folders.size(work) > limits.maxOutputBytes()) {
      throw new TranscodeException("the transcode of " + input + " wrote more than "
          + limits.maxOutputBytes() + " bytes (TranscodeLimits.maxOutputBytes)");
    }
  }
}
