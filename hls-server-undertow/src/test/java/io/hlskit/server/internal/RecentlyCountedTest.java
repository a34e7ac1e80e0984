package io.hlskit.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecentlyCountedTest {
  private static final long FRESH = 3_000_000_000L;
  private static final String PATH = "/streams/canal1/seg_00001.ts";

  private static long key(Object connection, String path, String parameter, String cookies,
      Object address) {
    return RecentlyCounted.key(connection, path, "/streams/".length(),
        path.indexOf('/', "/streams/".length()), parameter, cookies, address);
  }

  @Test
  void aCountStaysFreshForItsTimeThenAsksToBeCountedAgain() {
    RecentlyCounted recent = new RecentlyCounted(FRESH);
    long key = key(new Object(), PATH, null, null, null);
    assertThat(recent.isFresh(key, 1_000)).isFalse();
    recent.counted(key, 1_000);
    assertThat(recent.isFresh(key, 1_000 + FRESH - 1)).isTrue();
    assertThat(recent.isFresh(key, 1_000 + FRESH)).isFalse();
  }

  @Test
  void channelCredentialsAddressAndConnectionEachMakeAnotherPlayer() {
    Object connection = new Object();
    InetSocketAddress a = new InetSocketAddress("10.0.0.1", 1);
    List<Long> keys = List.of(
        key(connection, PATH, null, null, null),
        key(connection, "/streams/canal1/playlist.m3u8", null, null, null), // same player
        key(connection, "/streams/canal2/seg_00001.ts", null, null, null),
        key(connection, "/streams/canal/1seg_00001.ts", null, null, null),
        key(connection, PATH, "s1", null, null),
        key(connection, PATH, "s2", null, null),
        key(connection, PATH, null, "hlskit_session=s1", null),
        key(connection, PATH, null, null, a),
        key(connection, PATH, null, null, new InetSocketAddress("10.0.0.2", 1)),
        key(new Object(), PATH, null, null, null));
    assertThat(keys.get(1)).isEqualTo(keys.get(0));
    assertThat(new HashSet<>(keys)).hasSize(keys.size() - 1);
    assertThat(key(connection, PATH, null, null, new InetSocketAddress("10.0.0.1", 1)))
        .isEqualTo(keys.get(7));
  }

  @Test
  void theTableGrowsWhileMorePlayersAreFreshThanItHolds() {
    RecentlyCounted recent = new RecentlyCounted(FRESH);
    int first = recent.sets();
    List<Long> keys = players(1024);
    for (int i = 0; i < keys.size(); i++) {
      recent.counted(keys.get(i), i);
    }
    assertThat(recent.sets()).isGreaterThanOrEqualTo(1024 / 8).isGreaterThan(first);
    assertThat(keys).allMatch(key -> recent.isFresh(key, 1024));
  }

  @Test
  void playersGoneStaleMakeRoomWithoutGrowth() {
    // a player every microsecond, each fresh for 20: some twenty fresh at a time
    RecentlyCounted recent = new RecentlyCounted(20_000);
    int first = recent.sets();
    List<Long> keys = players(4096);
    for (int i = 0; i < keys.size(); i++) {
      recent.counted(keys.get(i), i * 1_000L);
    }
    assertThat(recent.sets()).isEqualTo(first);
    assertThat(recent.isFresh(keys.get(4095), 4095 * 1_000L)).isTrue();
    assertThat(recent.isFresh(keys.get(0), 4095 * 1_000L)).isFalse();
  }

  @Test
  void atItsLargestAFullSetGivesUpItsOldestKey() {
    RecentlyCounted recent = new RecentlyCounted(FRESH);
    int most = RecentlyCounted.MAX_SETS * 8;
    List<Long> keys = players(2 * most);
    for (int i = 0; i < keys.size(); i++) {
      recent.counted(keys.get(i), i);
    }
    assertThat(recent.sets()).isEqualTo(RecentlyCounted.MAX_SETS);
    long fresh = keys.stream().filter(key -> recent.isFresh(key, keys.size())).count();
    assertThat(fresh).isLessThanOrEqualTo(most).isGreaterThan(most * 9L / 10);
    assertThat(keys.subList(keys.size() - 100, keys.size()))
        .allMatch(key -> recent.isFresh(key, keys.size()));
  }

  private static List<Long> players(int n) {
    List<Long> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(key(new Object(), "/streams/c" + i + "/p.m3u8", null, null, null));
    }
    return keys;
  }

  @Test
  void eachThreadHasATableOfItsOwn() throws Exception {
    RecentlyCounted recent = new RecentlyCounted(FRESH);
    long key = key(new Object(), PATH, null, null, null);
    recent.counted(key, 0);
    assertThat(CompletableFuture.supplyAsync(() -> recent.isFresh(key, 1)).get()).isFalse();
    assertThat(recent.isFresh(key, 1)).isTrue();
  }
}
