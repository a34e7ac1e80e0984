package io.hlskit.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hlskit.core.ChatException;
import io.hlskit.core.ChatNameTakenException;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.ChatRules;
import io.hlskit.core.chat.ChatSession;
import io.hlskit.core.chat.Presence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChatBroker} promises. A backend's test extends this class; backends
 * that span processes also supply {@link #newPeer}, a second broker on the same shared state, and
 * the cross-instance cases run too. Delivery may be asynchronous: the tests wait up to {@link
 * #timeout()}.
 */
public abstract class ChatBrokerContract {

  /** A broker on fresh, empty state (a new room namespace is enough); closed after each test. */
  protected abstract ChatBroker newBroker() throws Exception;

  /**
   * A second broker sharing {@code broker}'s state, as a second server instance would; null for
   * single-process backends, which skips the cross-instance cases.
   */
  protected ChatBroker newPeer(ChatBroker broker) throws Exception {
    return null;
  }

  /** How long to wait for asynchronous delivery. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  protected ChatBroker broker;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void openBroker() throws Exception {
    broker = newBroker();
  }

  @AfterEach
  void closeBroker() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    if (broker != null) {
      broker.close();
      broker.close(); // idempotent
    }
  }

  private ChatSession join(ChatBroker b, String room, String user, RecordingListener l) {
    ChatSession s = b.join(room, user, l);
    toClose.add(s);
    return s;
  }

  @Test
  void joiningCountsTheNewSession() {
    RecordingListener ana = new RecordingListener();
    ChatSession s = join(broker, "canal1", "ana", ana);

    assertThat(s.room()).isEqualTo("canal1");
    assertThat(s.username()).isEqualTo("ana");
    assertThat(s.history()).isEmpty();
    ana.awaitPresence(1, 1, timeout());
    assertThat(broker.presence("canal1")).isEqualTo(new Presence("canal1", 1, 1));
  }

  @Test
  void messagesReachEveryoneInTheRoomAndNoOneElse() {
    RecordingListener ana = new RecordingListener();
    RecordingListener ben = new RecordingListener();
    RecordingListener other = new RecordingListener();
    ChatSession a = join(broker, "canal1", "ana", ana);
    join(broker, "canal1", "ben", ben);
    join(broker, "canal2", "cai", other);

    ChatMessage sent = a.send("hola <b>todos</b>");

    assertThat(sent.username()).isEqualTo("ana");
    assertThat(sent.room()).isEqualTo("canal1");
    assertThat(sent.text()).isEqualTo("hola <b>todos</b>");
    assertThat(sent.id()).isNotBlank();
    ana.awaitMessages(1, timeout());
    ben.awaitMessages(1, timeout());
    assertThat(ana.messages).containsExactly(sent);
    assertThat(ben.messages).containsExactly(sent);
    assertThat(other.messages).isEmpty();
  }

  @Test
  void historyKeepsTheLastHundredOldestFirst() {
    RecordingListener l = new RecordingListener();
    ChatSession s = join(broker, "canal1", "ana", l);
    for (int i = 0; i < 150; i++) {
      s.send("m" + i);
    }
    l.awaitMessages(150, timeout());

    List<ChatMessage> history = broker.history("canal1");

    assertThat(history).hasSize(ChatBroker.HISTORY_SIZE);
    assertThat(history.get(0).text()).isEqualTo("m50");
    assertThat(history.get(99).text()).isEqualTo("m149");
    assertThat(history).extracting(ChatMessage::id).doesNotHaveDuplicates();
    assertThat(broker.history("empty-room")).isEmpty();
  }

  @Test
  void aLateJoinerGetsHistoryOnceAndLaterMessagesOnce() {
    RecordingListener first = new RecordingListener();
    ChatSession a = join(broker, "canal1", "ana", first);
    a.send("before 1");
    a.send("before 2");
    first.awaitMessages(2, timeout());

    RecordingListener late = new RecordingListener();
    ChatSession b = join(broker, "canal1", "ben", late);
    a.send("after");
    late.awaitMessages(1, timeout());

    assertThat(b.history()).extracting(ChatMessage::text).containsExactly("before 1", "before 2");
    assertThat(late.messages).extracting(ChatMessage::text).containsExactly("after");
  }

  @Test
  void presenceCountsTheWholeSystemAndEachRoom() {
    RecordingListener ana = new RecordingListener();
    join(broker, "canal1", "ana", ana);
    ChatSession ben = join(broker, "canal1", "ben", new RecordingListener());
    RecordingListener cai = new RecordingListener();
    join(broker, "canal2", "cai", cai);

    ana.awaitPresence(3, 2, timeout());
    cai.awaitPresence(3, 1, timeout());

    ben.close();
    ben.close(); // idempotent

    ana.awaitPresence(2, 1, timeout());
    cai.awaitPresence(2, 1, timeout());
    assertThat(broker.presence("canal1")).isEqualTo(new Presence("canal1", 2, 1));
    assertThat(broker.presence("nobody-here")).isEqualTo(new Presence("nobody-here", 2, 0));
  }

  @Test
  void aBurstOfJoinsAndLeavesReachesOthersAsAFewCounts() throws Exception {
    RecordingListener watcher = new RecordingListener();
    join(broker, "canal1", "watcher", watcher);
    watcher.awaitPresence(1, 1, timeout());
    int before = watcher.presences.size();
    long started = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      broker.join("canal1", "x" + i, new RecordingListener()).close();
    }
    ChatSession last = join(broker, "canal1", "last", new RecordingListener());
    watcher.awaitPresence(2, 2, timeout());
    Thread.sleep(1500); // anything still due arrives
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(watcher.presences.size() - before)
        .as("count updates for 401 changes in %.1f s", seconds)
        .isLessThanOrEqualTo((int) Math.ceil(seconds) + 2);
    assertThat(watcher.latest()).isEqualTo(new Presence("canal1", 2, 2));
    last.close();
  }

  @Test
  void aNameIsTakenOncePerRoom() {
    join(broker, "canal1", "Ana", new RecordingListener());
    assertThatThrownBy(() -> broker.join("canal1", "ana", new RecordingListener()))
        .isInstanceOf(ChatNameTakenException.class).hasMessageContaining("ana");
    assertThatThrownBy(() -> broker.join("canal1", "ＡＮＡ", new RecordingListener()))
        .as("fullwidth letters are the same name").isInstanceOf(ChatNameTakenException.class);
    join(broker, "canal2", "ana", new RecordingListener()).close(); // another room: free
    ChatSession ben = join(broker, "canal1", "ben", new RecordingListener());
    ben.close();
    join(broker, "canal1", "ben", new RecordingListener()); // given back on leaving
  }

  @Test
  void closingARoomEndsItsSessionsAndItsHistory() {
    RecordingListener ana = new RecordingListener();
    ChatSession s = join(broker, "canal1", "ana", ana);
    RecordingListener elsewhere = new RecordingListener();
    join(broker, "canal2", "ben", elsewhere);
    s.send("hola");
    ana.awaitMessages(1, timeout());

    broker.closeRoom("canal1");
    Eventually.await(timeout(), "the session told", () -> ana.roomClosed);
    assertThat(elsewhere.roomClosed).isFalse();
    assertThatThrownBy(() -> s.send("still here?")).isInstanceOf(ChatException.class);
    assertThat(broker.history("canal1")).isEmpty();
    join(broker, "canal1", "ana", new RecordingListener()); // the name came free
    broker.closeRoom("never-opened"); // nothing to close: no error
  }

  @Test
  void moderationReachesEveryInstance() throws Exception {
    ChatBroker peer = newPeer(broker);
    assumeTrue(peer != null, "a single-process backend");
    toClose.add(peer);
    RecordingListener onPeer = new RecordingListener();
    join(peer, "canal1", "ben", onPeer);
    ChatMessage m = join(broker, "canal1", "ana", new RecordingListener()).send("hola");
    onPeer.awaitMessages(1, timeout());

    broker.deleteMessage("canal1", m.id());
    Eventually.await(timeout(), "the peer's session told", () -> onPeer.deleted.contains(m.id()));
    ChatRules slow = ChatRules.NONE.withSlowMode(Duration.ofSeconds(30));
    broker.setRules("canal1", slow);
    Eventually.await(timeout(), "the peer sees the rules",
        () -> peer.rules("canal1").equals(slow));
  }

  @Test
  void aDeletedMessageLeavesTheHistoryAndEverySessionIsTold() {
    RecordingListener ana = new RecordingListener();
    ChatSession s = join(broker, "canal1", "ana", ana);
    ChatMessage keep = s.send("hola");
    ChatMessage spam = s.send("spam");
    ana.awaitMessages(2, timeout());

    broker.deleteMessage("canal1", spam.id());
    Eventually.await(timeout(), "the session told", () -> ana.deleted.contains(spam.id()));
    assertThat(broker.history("canal1")).extracting(ChatMessage::id).containsExactly(keep.id());
    broker.deleteMessage("canal1", spam.id()); // gone already: nothing happens
    broker.deleteMessage("nowhere", "1-0");
  }

  @Test
  void rulesAreKeptPerRoom() {
    java.time.Instant now = java.time.Instant.now();
    assertThat(broker.rules("canal1")).isEqualTo(ChatRules.NONE);
    ChatRules rules = ChatRules.NONE.withSlowMode(Duration.ofSeconds(10))
        .withMutedName("Ana", Duration.ofMinutes(10), now)
        .withMutedAddress("203.0.113.9", Duration.ofMinutes(5), now);
    broker.setRules("canal1", rules);
    assertThat(broker.rules("canal1")).isEqualTo(rules);
    assertThat(broker.rules("canal2")).isEqualTo(ChatRules.NONE);
    assertThat(broker.rules("canal1").mutedUntil("ANA", null, now)).isAfter(now);
    assertThat(broker.rules("canal1").mutedUntil("ben", "203.0.113.9", now)).isAfter(now);
    assertThat(broker.rules("canal1").mutedUntil("ben", "203.0.113.8", now)).isNull();
    broker.setRules("canal1", ChatRules.NONE);
    assertThat(broker.rules("canal1")).isEqualTo(ChatRules.NONE);
  }

  @Test
  void refusesBlankInputAndClosedSessions() {
    assertThatThrownBy(() -> broker.join("canal1", " ", new RecordingListener()))
        .isInstanceOf(ChatException.class).hasMessageContaining("username");
    assertThatThrownBy(() -> broker.join("", "ana", new RecordingListener()))
        .isInstanceOf(ChatException.class);
    ChatSession s = join(broker, "canal1", "ana", new RecordingListener());
    assertThatThrownBy(() -> s.send("   ")).isInstanceOf(ChatException.class)
        .hasMessageContaining("blank");

    s.close();

    assertThatThrownBy(() -> s.send("hola")).isInstanceOf(ChatException.class);
    assertThat(broker.history("canal1")).isEmpty();
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    join(broker, "canal1", "bad", new RecordingListener() {
      @Override
      public void onMessage(ChatMessage message) {
        throw new IllegalStateException("listener bug");
      }
    });
    RecordingListener good = new RecordingListener();
    ChatSession s = join(broker, "canal1", "good", good);

    s.send("still works");

    good.awaitMessages(1, timeout());
  }

  @Test
  void concurrentSendersAreSeenInOneOrderByEveryone() throws Exception {
    int senders = 4;
    int each = 50;
    List<RecordingListener> listeners = new ArrayList<>();
    List<ChatSession> sessions = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      RecordingListener l = new RecordingListener();
      listeners.add(l);
      sessions.add(join(broker, "canal1", "user" + i, l));
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (ChatSession s : sessions) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            s.send(s.username() + ":" + i);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (RecordingListener l : listeners) {
      l.awaitMessages(senders * each, timeout());
    }

    List<ChatMessage> reference = listeners.get(0).messages;
    assertThat(reference).hasSize(senders * each);
    Set<String> ids = new HashSet<>();
    reference.forEach(m -> ids.add(m.id()));
    assertThat(ids).hasSize(senders * each);
    for (RecordingListener l : listeners) {
      assertThat(l.messages).isEqualTo(reference);
      assertThat(l.overlapped).as("listener called concurrently").isFalse();
    }
    for (int u = 0; u < senders; u++) {
      String prefix = "user" + u + ":";
      List<String> own = reference.stream().map(ChatMessage::text)
          .filter(t -> t.startsWith(prefix)).toList();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        expected.add(prefix + i);
      }
      assertThat(own).as("each sender's order is kept").isEqualTo(expected);
    }
    assertThat(broker.history("canal1")).isEqualTo(reference.subList(
        reference.size() - ChatBroker.HISTORY_SIZE, reference.size()));
  }

  @Test
  void closingTheBrokerEndsItsSessions() {
    ChatSession s = broker.join("canal1", "ana", new RecordingListener());

    broker.close();

    assertThatThrownBy(() -> s.send("hola")).isInstanceOf(ChatException.class);
  }

  @Test
  void peersShareRoomsHistoryAndCounts() throws Exception {
    ChatBroker peer = newPeer(broker);
    assumeTrue(peer != null, "single-process backend");
    toClose.add(peer);
    RecordingListener onA = new RecordingListener();
    RecordingListener onB = new RecordingListener();
    ChatSession a = join(broker, "canal1", "ana", onA);
    ChatSession b = join(peer, "canal1", "ben", onB);

    onA.awaitPresence(2, 2, timeout());
    onB.awaitPresence(2, 2, timeout());
    ChatMessage fromA = a.send("desde A");
    onB.awaitMessages(1, timeout());
    ChatMessage fromB = b.send("desde B");
    onA.awaitMessages(2, timeout());

    assertThat(onB.messages.get(0)).isEqualTo(fromA);
    assertThat(onA.messages).containsExactly(fromA, fromB);
    assertThat(peer.history("canal1")).containsExactly(fromA, fromB);

    b.close();
    onA.awaitPresence(1, 1, timeout());
  }
}
