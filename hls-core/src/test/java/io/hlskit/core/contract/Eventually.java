package io.hlskit.core.contract;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for asynchronous backends (Redis pub/sub, folder watchers) in contract tests. */
public final class Eventually {
  private Eventually() {}

  /** Polls {@code condition} until it holds or {@code timeout} passes, then fails with {@code what}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: "
            + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
