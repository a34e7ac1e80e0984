package io.hlskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedFailureTest {
  @Test
  void anHourOfFailuresEverySecondIsToldSixtyOneTimesAndItsEndOnce() {
    AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    RepeatedFailure f = new RepeatedFailure(Duration.ofMinutes(1), now::get);
    assertThat(f.succeeded()).isNull();
    List<String> told = new ArrayList<>();
    for (int s = 0; s < 3600; s++) {
      String line = f.failed("the folder is gone");
      if (line != null) {
        told.add(line);
      }
      now.addAndGet(1_000_000_000L);
    }
    assertThat(told).hasSize(60);
    assertThat(told.get(0)).isEqualTo("the folder is gone");
    assertThat(told.get(1)).isEqualTo("the folder is gone (failing for 60 s, 61 times)");
    assertThat(f.succeeded()).isEqualTo("after 3600 failures over 3600 s");
    assertThat(f.succeeded()).isNull();
    assertThat(f.failed("again")).as("a new failure is told at once").isEqualTo("again");
  }
}
