package io.hlskit.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SampleRingsTest {
  private record Sample(int key, long nanos, long bytes) {}

  private static List<Sample> drain(SampleRings rings) {
    List<Sample> out = new ArrayList<>();
    rings.drain((k, n, b) -> out.add(new Sample(k, n, b)));
    return out;
  }

  @Test
  void samplesComeOutAsTheyWentIn() {
    SampleRings rings = new SampleRings();
    assertThat(rings.offer(0, 0, 0)).isTrue();
    assertThat(rings.offer(SampleRings.MAX_KEY, 123_456_789_012L, Long.MAX_VALUE)).isTrue();
    assertThat(rings.offer(7, -5, 3)).isTrue(); // a clock that went back counts as no time
    assertThat(drain(rings)).containsExactly(new Sample(0, 0, 0),
        new Sample(SampleRings.MAX_KEY, 123_456_789_012L, Long.MAX_VALUE), new Sample(7, 0, 3));
    assertThat(drain(rings)).isEmpty();
  }

  @Test
  void aDrainSaysHowFullTheFullestRingWas() throws Exception {
    SampleRings rings = new SampleRings();
    for (int i = 0; i < 10; i++) {
      rings.offer(1, i, i);
    }
    Thread other = new Thread(() -> {
      for (int i = 0; i < 300; i++) {
        rings.offer(2, i, i);
      }
    });
    other.start();
    other.join();
    assertThat(rings.drain((k, n, b) -> { })).isEqualTo(300);
    assertThat(rings.drain((k, n, b) -> { })).isZero();
  }

  @Test
  void drainsComeSoonerUnderLoadAndOnceASecondWhenIdle() {
    int ring = SampleRings.CAPACITY;
    long pace = HttpMetrics.DRAIN_MILLIS;
    for (int i = 0; i < 10; i++) { // idle
      pace = HttpMetrics.nextDrainMillis(pace, 0);
    }
    assertThat(pace).isEqualTo(HttpMetrics.MAX_DRAIN_MILLIS);
    // a burst that filled a ring: at once soon enough for a quarter of it
    assertThat(HttpMetrics.nextDrainMillis(1000, ring)).isEqualTo(250);
    assertThat(HttpMetrics.nextDrainMillis(100, ring)).isEqualTo(HttpMetrics.DRAIN_MILLIS);
    // a quarter to half full: the pace holds
    assertThat(HttpMetrics.nextDrainMillis(200, ring / 4)).isEqualTo(200);
    assertThat(HttpMetrics.nextDrainMillis(200, ring / 2)).isEqualTo(200);
    assertThat(HttpMetrics.nextDrainMillis(200, ring / 4 - 1)).isEqualTo(400);
  }

  @Test
  void aFullRingRefusesUntilDrainedAndLosesNothing() {
    SampleRings rings = new SampleRings();
    for (int i = 0; i < SampleRings.CAPACITY; i++) {
      assertThat(rings.offer(i % 100, i, i)).isTrue();
    }
    assertThat(rings.offer(1, 1, 1)).as("full").isFalse();
    List<Sample> drained = drain(rings);
    assertThat(drained).hasSize(SampleRings.CAPACITY);
    assertThat(drained.get(SampleRings.CAPACITY - 1).nanos()).isEqualTo(SampleRings.CAPACITY - 1);
    // round the ring more than once
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < SampleRings.CAPACITY - 1; i++) {
        assertThat(rings.offer(2, i, round)).isTrue();
      }
      List<Sample> again = drain(rings);
      assertThat(again).hasSize(SampleRings.CAPACITY - 1);
      assertThat(again.get(10)).isEqualTo(new Sample(2, 10, round));
    }
  }

  @Test
  void threadsWriteWhileOneDrainsAndEverySampleArrivesOnce() throws Exception {
    SampleRings rings = new SampleRings();
    int threads = 4;
    int each = 200_000;
    AtomicInteger refused = new AtomicInteger();
    long[] sums = new long[threads];
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int key = t;
      Thread w = new Thread(() -> {
        for (int i = 1; i <= each; i++) {
          while (!rings.offer(key, i, 1)) {
            refused.incrementAndGet();
            Thread.onSpinWait();
          }
        }
      });
      writers.add(w);
      w.start();
    }
    long[] counts = new long[threads];
    long[] lastSeen = new long[threads];
    boolean[] inOrder = {true};
    SampleRings.Sink sink = (key, nanos, bytes) -> {
      counts[key]++;
      sums[key] += nanos;
      inOrder[0] &= nanos == lastSeen[key] + 1;
      lastSeen[key] = nanos;
    };
    while (writers.stream().anyMatch(Thread::isAlive)) {
      rings.drain(sink);
    }
    for (Thread w : writers) {
      w.join();
    }
    rings.drain(sink);
    for (int t = 0; t < threads; t++) {
      assertThat(counts[t]).isEqualTo(each);
      assertThat(sums[t]).isEqualTo((long) each * (each + 1) / 2);
    }
    assertThat(inOrder[0]).as("each thread's samples in the order written").isTrue();
    assertThat(rings.ringCount()).as("the rings of ended threads forgotten").isZero();
  }
}
