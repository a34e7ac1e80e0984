package io.hlskit.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishing;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/publish?channel=<id>}: a browser's camera into a live channel. The sender gives
 * the channel's stream key ({@code key=}) or a token that may publish ({@code token=}, or {@code
 * {"token":"..."}} as its first text frame), and the container its {@code MediaRecorder} makes
 * ({@code container=webm} or {@code mp4}, else the demuxer tells); then every binary frame is the
 * next chunk of the stream, handed to the {@link LivePublishing} of the server.
 *
 * <p>The server answers in text frames: {@code {"type":"live","channel":..}} once the publish
 * is taken, {@code {"type":"error","code":..,"message":..}} before it closes the connection with
 * a code of 4000 + the HTTP status the refusal would have (4400, 4401, 4403, 4404, 4409, 4413,
 * 4503) or 1009 for a frame over the size limit. A sender faster than the pipeline has its
 * frames left unread (TCP slows it) until the pipeline catches up; a sender above the bit-rate
 * cap is cut off; a sender that says {@code {"type":"end"}} ends its broadcast; one that goes
 * silent or drops is a publisher that dropped (the channel's reconnect grace applies).
 */
public final class PublishEndpoint implements WebSocketConnectionCallback {
  private static final Logger LOG = LoggerFactory.getLogger(PublishEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A first text frame carries a token and little else. */
  private static final int MAX_TEXT = 16 * 1024;
  /** How long a sender has to say who it is when its URL does not. */
  private static final long HELLO_MILLIS = 10_000;

  /** What a browser's publish may send. */
  public record Limits(int maxFrameBytes, long maxBitsPerSecond) {
    /** 4 MB frames (a MediaRecorder chunk of a few hundred ms is far smaller), 12 Mb/s. */
    public static final Limits DEFAULT = new Limits(4 * 1024 * 1024, 12_000_000L);
  }

  private final LivePublishing publishing;
  private final AccessPolicy access;
  private final Limits limits;
  /** Who publishes where: one live publish per signed-in name (or per credential). */
  private final Map<String, String> publishers = new ConcurrentHashMap<>();
  private final ExecutorService work;

  public PublishEndpoint(LivePublishing publishing, AccessPolicy access, Limits limits) {
    this.publishing = publishing;
    this.access = access;
    this.limits = limits;
    // four publishes decided at once (each reads the store); idle threads end after 30 s
    ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "hlskit-publish");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.work = pool;
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    AccessRequest request = ExchangeAccess.of(exchange, channel);
    Sender s = new Sender(channel, request, request.queryParameter("channel").orElse(""),
        request.queryParameter("container"));
    channel.getReceiveSetter().set(s);
    channel.addCloseTask(ch -> s.closed());
    Optional<String> key = request.queryParameter("key").filter(k -> !k.isEmpty());
    if (key.isPresent() || request.queryParameter("token").isPresent()
        || request.header("Authorization").isPresent()) {
      s.open(key, request);
    } else {
      // the credentials come in the first text frame, within a few seconds
      s.hello = channel.getIoThread().executeAfter(() -> s.refuse(4401, "unauthorized",
          "no key or token came within " + HELLO_MILLIS / 1000 + " s; send"
          + " {\"token\":\"...\"} first, or put key= or token= in the URL"), HELLO_MILLIS,
          TimeUnit.MILLISECONDS);
      channel.resumeReceives();
    }
  }

  /** One sender: before its publish is taken, then its chunks. */
  private final class Sender extends AbstractReceiveListener {
    final WebSocketChannel channel;
    final AccessRequest request;
    final String id;
    final Optional<String> container;
    volatile XnioExecutor.Key hello;
    volatile LivePublishing.Publication publication;
    volatile boolean opening;
    volatile boolean done;
    volatile String user;
    /** Bytes in the current second, and the seconds before it, for the bit-rate cap. */
    long windowStart = System.nanoTime();
    long windowBytes;

    Sender(WebSocketChannel channel, AccessRequest request, String id,
        Optional<String> container) {
      this.channel = channel;
      this.request = request;
      this.id = id;
      this.container = container;
    }

    @Override
    protected long getMaxTextBufferSize() {
      return MAX_TEXT;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
      return limits.maxFrameBytes(); // a larger frame closes the connection with 1009
    }

    /** Decides the publish on a worker (the store is read), then takes the sender's chunks. */
    void open(Optional<String> key, AccessRequest caller) {
      opening = true;
      channel.suspendReceives();
      work.execute(() -> {
        String who = access.chatName(caller).map(n -> "user " + n)
            .orElse(key.map(k -> "key of " + id).orElse("token " + caller.header(
                "Authorization").or(() -> caller.queryParameter("token")).orElse("")));
        String already = publishers.putIfAbsent(who, id);
        if (already != null) {
          refuse(4409, "busy", "you are live in channel " + already + " already; end that"
              + " broadcast first (one live publish at a time)");
          return;
        }
        user = who;
        try {
          LivePublishing.Publication p = publishing.publish(new LivePublishing.Request(id,
              key, caller, container));
          publication = p;
          p.onStopped(reason -> refuse(4400, "stopped", reason));
          if (done) {
            p.end(false); // the sender left while its publish was decided
            return;
          }
          ObjectNode live = JSON.createObjectNode().put("type", "live").put("channel", id);
          WebSockets.sendText(live.toString(), channel, null);
          LOG.info("browser publish from {} live on channel {}", request.remoteAddress(), id);
          channel.getIoThread().execute(channel::resumeReceives);
        } catch (LivePublishException e) {
          publishers.remove(who, id);
          user = null;
          refuse(code(e.reason()), e.reason().name().toLowerCase(java.util.Locale.ROOT),
              e.getMessage());
        } catch (RuntimeException e) {
          publishers.remove(who, id);
          user = null;
          LOG.warn("browser publish into {} failed: {}", id, e.toString());
          refuse(4503, "unavailable", "the publish could not be started: " + e.getMessage());
        }
      });
    }

    @Override
    protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
      JsonNode frame;
      try {
        frame = JSON.readTree(message.getData());
      } catch (java.io.IOException e) {
        refuse(4400, "bad_frame", "a text frame must be JSON: {\"token\":\"...\"} first,"
            + " {\"type\":\"end\"} to end");
        return;
      }
      if (frame == null || !frame.isObject()) {
        refuse(4400, "bad_frame", "a text frame must be a JSON object");
        return;
      }
      if (publication == null && !opening) {
        XnioExecutor.Key h = hello;
        if (h != null) {
          h.remove();
        }
        String token = frame.path("token").asText("");
        String key = frame.path("key").asText("");
        if (token.isEmpty() && key.isEmpty()) {
          refuse(4401, "unauthorized", "the first frame names no token or key: send"
              + " {\"token\":\"...\"}");
          return;
        }
        open(key.isEmpty() ? Optional.empty() : Optional.of(key), token.isEmpty() ? request
            : bearer(request, token));
      } else if ("end".equals(frame.path("type").asText())) {
        LivePublishing.Publication p = publication;
        if (p != null) {
          p.end(true);
        }
        WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "ended", channel, null);
      }
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
      LivePublishing.Publication p = publication;
      var data = message.getData();
      try {
        if (done) {
          return; // refused or cut off: what still comes is dropped until the close
        }
        if (p == null) {
          refuse(4400, "not_live", "media came before the publish was taken: wait for"
              + " {\"type\":\"live\"}");
          return;
        }
        ByteBuffer[] buffers = data.getResource();
        int size = 0;
        for (ByteBuffer b : buffers) {
          size += b.remaining();
        }
        byte[] chunk = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
          int n = b.remaining();
          b.get(chunk, at, n);
          at += n;
        }
        if (overCap(size)) {
          return;
        }
        if (!p.write(chunk)) {
          // the pipeline has enough waiting: leave the sender's next frames unread until it
          // has read some (TCP's window slows the sender meanwhile)
          channel.suspendReceives();
          p.onDrained(() -> channel.getIoThread().execute(channel::resumeReceives));
        }
      } finally {
        data.free();
      }
    }

    /** Whether the sender goes over the bit-rate cap (averaged over five seconds): cut off. */
    private boolean overCap(int bytes) {
      long now = System.nanoTime();
      long span = now - windowStart;
      if (span > 5_000_000_000L) {
        windowStart = now;
        windowBytes = 0;
        span = 0;
      }
      windowBytes += bytes;
      long allowed = limits.maxBitsPerSecond() / 8 * 5 + limits.maxFrameBytes();
      if (windowBytes > allowed) {
        refuse(4413, "too_fast", "more than " + limits.maxBitsPerSecond() / 1_000_000.0
            + " Mb/s sent; lower the recorder's bit rate (MediaRecorder's videoBitsPerSecond)");
        return true;
      }
      return false;
    }

    @Override
    protected void onCloseMessage(CloseMessage cm, WebSocketChannel ch) {
      LivePublishing.Publication p = publication;
      if (p != null) {
        // a sender that closes normally has ended its broadcast; any other close is a drop
        p.end(cm.getCode() == CloseMessage.NORMAL_CLOSURE);
      }
    }

    /** Tells the sender why, and closes. */
    void refuse(int code, String error, String message) {
      if (done) {
        return;
      }
      done = true;
      ObjectNode frame = JSON.createObjectNode().put("type", "error").put("code", error)
          .put("message", message);
      WebSockets.sendText(frame.toString(), channel, null);
      WebSockets.sendClose(code, abbreviate(error), channel, null);
    }

    /** The connection is gone, however: the publish ends (a drop unless it said end). */
    void closed() {
      done = true;
      XnioExecutor.Key h = hello;
      if (h != null) {
        h.remove();
      }
      LivePublishing.Publication p = publication;
      if (p != null) {
        p.end(false);
      }
      if (user != null) {
        publishers.remove(user, id);
      }
    }
  }

  private static int code(LivePublishException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> 4404;
      case UNAUTHENTICATED -> 4401;
      case FORBIDDEN -> 4403;
      case BUSY -> 4409;
      case BAD_REQUEST -> 4400;
      case UNAVAILABLE -> 4503;
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }

  /** {@code request} with {@code token} as its bearer token. */
  private static AccessRequest bearer(AccessRequest request, String token) {
    return new AccessRequest() {
      @Override
      public Optional<String> header(String name) {
        return name.equalsIgnoreCase("Authorization") ? Optional.of("Bearer " + token)
            : request.header(name);
      }

      @Override
      public Optional<String> queryParameter(String name) {
        return request.queryParameter(name);
      }

      @Override
      public String path() {
        return request.path();
      }

      @Override
      public String remoteAddress() {
        return request.remoteAddress();
      }
    };
  }

  /** Stops taking new publishes' work. */
  public void close() {
    work.shutdownNow();
  }
}
