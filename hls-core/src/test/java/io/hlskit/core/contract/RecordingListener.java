package io.hlskit.core.contract;

import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.Presence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ChatListener} that records what it is told and checks it is never called twice at once. */
public class RecordingListener implements ChatListener {
  public final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
  public final List<Presence> presences = new CopyOnWriteArrayList<>();
  private final AtomicInteger inside = new AtomicInteger();
  public volatile boolean overlapped;
  public volatile boolean roomClosed;
  public final List<String> deleted = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(ChatMessage message) {
    enter();
    messages.add(message);
    inside.decrementAndGet();
  }

  @Override
  public void onPresence(Presence presence) {
    enter();
    presences.add(presence);
    inside.decrementAndGet();
  }

  @Override
  public void onRoomClosed() {
    enter();
    roomClosed = true;
    inside.decrementAndGet();
  }

  @Override
  public void onMessageDeleted(String messageId) {
    enter();
    deleted.add(messageId);
    inside.decrementAndGet();
  }

  private void enter() {
    if (inside.incrementAndGet() > 1) {
      overlapped = true;
    }
  }

  /** Waits until at least {@code count} messages arrived. */
  public void awaitMessages(int count, Duration timeout) {
    Eventually.await(timeout, count + " messages (have " + messages.size() + ")",
        () -> messages.size() >= count);
  }

  /** Waits until the latest presence shows these counts. */
  public void awaitPresence(long online, long watching, Duration timeout) {
    Eventually.await(timeout, "presence online=" + online + " watching=" + watching
        + " (latest " + latest() + ")", () -> {
          Presence p = latest();
          return p != null && p.online() == online && p.watching() == watching;
        });
  }

  public Presence latest() {
    return presences.isEmpty() ? null : presences.get(presences.size() - 1);
  }
}
