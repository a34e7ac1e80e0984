package io.hlskit.transcode;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.internal.LiveInput;
import io.hlskit.transcode.internal.rtmp.PublishRefusedException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live channel's SRT listener: a thread that waits for a caller on the channel's UDP port
 * (libav's listener takes one caller per open, hence a port per channel), runs the caller's
 * stream through the ingest's pipeline on the same thread, and listens again once it ends, so a
 * publisher that drops can come back within the grace.
 *
 * <p>The passphrase is the channel's stream key secret, read from the store before each wait
 * and checked every few seconds while waiting: a new key takes effect for the next caller. While
 * another publisher (RTMP) is live on a channel that does not allow take-over, the port is not
 * listened on at all, so a second publisher is turned away before it sends anything.
 */
final class SrtListener {
  private static final Logger LOG = LoggerFactory.getLogger(SrtListener.class);
  private static final long KEY_CHECK_SECONDS = 5;
  private static final long RETRY_MILLIS = 2000;

  private final LiveIngest ingest;
  private final MediaStore store;
  private final String channel;
  private final String host;
  private final int port;
  private final long idleMillis;
  private final Thread thread;
  private final ScheduledFuture<?> keyCheck;
  private volatile boolean stopped;
  private volatile boolean streaming;
  private volatile boolean streamStopped;
  private volatile boolean keyChanged;
  private volatile boolean takeover;
  private volatile String listeningWith;

  SrtListener(LiveIngest ingest, MediaStore store, String channel, String host, int port,
      long idleMillis, ScheduledExecutorService timers) {
    this.ingest = ingest;
    this.store = store;
    this.channel = channel;
    this.host = host;
    this.port = port;
    this.idleMillis = idleMillis;
    this.thread = new Thread(this::loop, "hlskit-srt-" + channel);
    this.thread.setDaemon(true);
    this.keyCheck = timers.scheduleWithFixedDelay(this::checkKey, KEY_CHECK_SECONDS,
        KEY_CHECK_SECONDS, TimeUnit.SECONDS);
  }

  SrtListener start() {
    thread.start();
    return this;
  }

  /** The UDP port listened on. */
  int port() {
    return port;
  }

  /** Stops listening, and the stream of a caller if one is on; returns at once. */
  void stop() {
    stopped = true;
    keyCheck.cancel(false);
    LockSupport.unpark(thread);
  }

  /** Waits for the thread to finish its last segment, up to {@code millis}. */
  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  private void loop() {
    String lastProblem = null;
    while (!stopped) {
      Optional<ChannelMetadata> channelNow;
      Optional<String> secret;
      try {
        channelNow = store.channelMetadata(channel).filter(ChannelMetadata::isLive);
        secret = LiveChannels.streamKey(store, channel)
            .map(k -> k.substring(k.indexOf("?key=") + "?key=".length()));
      } catch (HlsException e) {
        lastProblem = warnOnce(lastProblem, "the store cannot be read (" + e.getMessage()
            + "); trying again");
        pause(RETRY_MILLIS);
        continue;
      }
      if (channelNow.isEmpty() || secret.isEmpty()) {
        lastProblem = warnOnce(lastProblem, "the channel or its stream key is missing; give it"
            + " one with live " + channel + " --new-key");
        pause(RETRY_MILLIS);
        continue;
      }
      takeover = channelNow.get().live().orElseThrow().takeover();
      if (busy()) {
        pause(500); // live over RTMP: nobody else may publish, so nobody is listened to
        continue;
      }
      keyChanged = false;
      listeningWith = secret.get();
      LiveInput in;
      try {
        in = LiveInput.srt("live channel " + channel + " (SRT)", host, port, secret.get(),
            idleMillis, this::abortWaiting);
      } catch (RuntimeException e) {
        listeningWith = null;
        if (!stopped && !keyChanged && !busy()) {
          lastProblem = warnOnce(lastProblem, e.getMessage() + "; listening again");
          pause(RETRY_MILLIS);
        }
        continue;
      }
      listeningWith = null;
      lastProblem = null;
      serve(in);
    }
  }

  /** Runs an accepted caller's stream to its end, on this thread. */
  private void serve(LiveInput in) {
    String address = "SRT caller on UDP " + host + ":" + port;
    LiveIngest.Publisher p;
    LiveIngest.Plan plan;
    streamStopped = false;
    streaming = true;
    try {
      ChannelMetadata m = store.channelMetadata(channel).filter(ChannelMetadata::isLive)
          .orElseThrow(() -> new PublishRefusedException("NetStream.Publish.BadName",
              "channel " + channel + " is no longer a live channel"));
      plan = ingest.plan(m);
      p = ingest.claim(m, new LiveIngest.Publisher(channel, address, in::bytesRead,
          () -> streamStopped = true));
    } catch (HlsException e) {
      LOG.warn("live channel {}: {} refused: {}", channel, address, e.getMessage());
      in.close();
      streaming = false;
      return;
    }
    LOG.info("live channel {}: publishing from an {}", channel, address);
    try {
      ingest.run(p, plan, () -> in);
    } finally {
      streaming = false;
    }
  }

  /** Asked by libav every 100 ms while it waits for a caller or for bytes. */
  private boolean abortWaiting() {
    if (stopped) {
      return true;
    }
    return streaming ? streamStopped : keyChanged || busy();
  }

  private boolean busy() {
    return !takeover && ingest.isPublishing(channel);
  }

  private void checkKey() {
    String with = listeningWith;
    if (with == null || streaming) {
      return;
    }
    try {
      Optional<String> now = LiveChannels.streamKey(store, channel);
      if (now.isEmpty() || !now.get().endsWith("?key=" + with)) {
        keyChanged = true; // the listener opens again with the new key
      }
    } catch (RuntimeException e) {
      LOG.debug("live channel {}: the stream key could not be read: {}", channel,
          e.getMessage());
    }
  }

  private String warnOnce(String last, String problem) {
    if (!Objects.equals(last, problem)) {
      LOG.warn("live channel {}: SRT on UDP port {}: {}", channel, port, problem);
    }
    return problem;
  }

  private void pause(long millis) {
    if (!stopped) {
      LockSupport.parkNanos(this, millis * 1_000_000);
    }
  }
}
