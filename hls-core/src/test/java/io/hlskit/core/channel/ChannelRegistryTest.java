package io.hlskit.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelRegistryTest {
  private static final ChannelMetadata OLD = ChannelMetadata.builder("canal1").title("Old")
      .created(Instant.parse("2026-11-25T10:00:00Z")).build();
  private static final ChannelMetadata NEW = ChannelMetadata.builder("canal1").title("New")
      .created(Instant.parse("2026-11-25T11:00:00Z")).build();

  /** A scan that reads storage, then is held until the test lets it report. */
  private static final class HeldScan implements ChannelRegistry.Scan {
    volatile Map<String, ChannelMetadata> storage = Map.of();
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    @Override
    public Map<String, ChannelMetadata> scan(boolean thorough) {
      Map<String, ChannelMetadata> seen = storage;
      if (hold) {
        reading.countDown();
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return seen;
    }
  }

  @Test
  void aScanThatReadBeforeAPublishDoesNotUndoIt() throws Exception {
    HeldScan scan = new HeldScan();
    scan.storage = Map.of("canal1", OLD);
    try (ChannelRegistry registry = ChannelRegistry.scanning(scan)
        .interval(Duration.ofHours(1)).build()) {
      assertThat(registry.get("canal1")).contains(OLD);
      scan.hold = true;
      CompletableFuture<Void> slow = CompletableFuture.runAsync(registry::refresh);
      scan.reading.await(5, TimeUnit.SECONDS);

      registry.published(NEW); // while the scan holds what it read before
      scan.release.countDown();
      slow.get(5, TimeUnit.SECONDS);

      assertThat(registry.get("canal1")).contains(NEW);
      // the next scan reads storage after the publish and agrees
      scan.hold = false;
      scan.storage = Map.of("canal1", NEW);
      registry.refresh();
      assertThat(registry.get("canal1")).contains(NEW);
    }
  }

  @Test
  void aScanThatReadBeforeADeleteDoesNotBringItBack() throws Exception {
    HeldScan scan = new HeldScan();
    scan.storage = Map.of("canal1", OLD);
    try (ChannelRegistry registry = ChannelRegistry.scanning(scan)
        .interval(Duration.ofHours(1)).build()) {
      registry.list();
      scan.hold = true;
      CompletableFuture<Void> slow = CompletableFuture.runAsync(registry::refresh);
      scan.reading.await(5, TimeUnit.SECONDS);

      registry.removed("canal1");
      scan.release.countDown();
      slow.get(5, TimeUnit.SECONDS);

      assertThat(registry.get("canal1")).isEmpty();
    }
  }

  @Test
  void housekeepingRunsBetweenScansAndAFailureStopsNeither() throws Exception {
    java.util.concurrent.atomic.AtomicInteger scans = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger chores = new java.util.concurrent.atomic.AtomicInteger();
    try (ChannelRegistry registry = ChannelRegistry.scanning(thorough -> {
      scans.incrementAndGet();
      return Map.of("canal1", OLD);
    }).interval(Duration.ofMillis(10)).housekeeping(() -> {
      if (chores.incrementAndGet() == 1) {
        throw new StorageException("the first sweep failed");
      }
    }, Duration.ofMillis(50)).build()) {
      registry.list();
      io.hlskit.core.contract.Eventually.await(Duration.ofSeconds(10), "three sweeps",
          () -> chores.get() >= 3);
      int seen = scans.get();
      io.hlskit.core.contract.Eventually.await(Duration.ofSeconds(10), "scans go on",
          () -> scans.get() > seen + 2);
      assertThat(scans.get()).as("far more scans than sweeps").isGreaterThan(chores.get());
    }
  }

  @Test
  void aFailedScanKeepsTheListAndRefreshSaysWhy() {
    HeldScan ok = new HeldScan();
    ok.storage = Map.of("canal1", OLD);
    boolean[] fail = {false};
    try (ChannelRegistry registry = ChannelRegistry.scanning(thorough -> {
      if (fail[0]) {
        throw new StorageException("the bucket is away");
      }
      return ok.scan(thorough);
    }).interval(Duration.ofHours(1)).build()) {
      assertThat(registry.list()).containsExactly(OLD);
      fail[0] = true;

      assertThatThrownBy(registry::refresh).hasMessageContaining("the bucket is away");
      assertThat(registry.list()).containsExactly(OLD);
    }
  }

  @Test
  void nothingIsScannedUntilTheListIsRead() {
    int[] scans = {0};
    try (ChannelRegistry registry = ChannelRegistry.scanning(thorough -> {
      scans[0]++;
      return Map.of();
    }).interval(Duration.ofHours(1)).build()) {
      registry.published(OLD);
      assertThat(scans[0]).isZero();
      registry.list();
      assertThat(scans[0]).isOne();
    }
  }
}
