package io.hlskit.chat.redis;

import io.hlskit.core.chat.ChatListener;
import io.hlskit.core.chat.ChatMessage;
import io.hlskit.core.chat.Presence;

/**
 * A second server instance in a JVM of its own, for tests that kill it: joins {@code n} clients
 * to {@code canal1}, prints {@code READY} and waits to be killed. Arguments: Redis URL, namespace,
 * n.
 */
public final class ChatPeerMain {
  private ChatPeerMain() {}

  public static void main(String[] args) throws InterruptedException {
    RedisChatBroker broker = RedisChatBroker.builder(args[0]).namespace(args[1])
        .heartbeat(java.time.Duration.ofMillis(300)).build();
    ChatListener quiet = new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {}

      @Override
      public void onPresence(Presence presence) {}
    };
    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
      broker.join("canal1", "peer" + i, quiet);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
