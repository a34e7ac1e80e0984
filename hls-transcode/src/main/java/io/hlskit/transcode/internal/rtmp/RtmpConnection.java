package io.hlskit.transcode.internal.rtmp;

import io.hlskit.transcode.internal.rtmp.amf0.Amf0;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkReader;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkWriter;
import io.hlskit.transcode.internal.rtmp.handshake.Handshake;
import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection: the handshake, then chunks into messages, then the commands of a
 * publisher ({@code connect}, {@code createStream}, {@code publish}, {@code deleteStream}) and
 * its media into a {@link MediaSink} as FLV. Runs on the connection's event loop; the {@link
 * PublishGate} runs on {@code blocking} (it may read the store), the connection reading nothing
 * meanwhile.
 *
 * <p>A connection that breaks the protocol, is refused, or has not started publishing within the
 * deadline is closed and logged with its address; nothing it sent reaches a sink. Players are
 * not taken: a {@code play} is refused (viewers watch HLS).
 */
public final class RtmpConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);

  /** The chunk size this side sends with. */
  static final int OUT_CHUNK_SIZE = 4096;
  static final long WINDOW = 2_500_000;
  private static final int STREAM_ID = 1;

  private final PublishGate gate;
  private final Executor blocking;
  private final long deadlineMillis;
  private final long idleMillis;
  private final ChunkReader reader;
  private final ChunkWriter writer = new ChunkWriter();
  private final Handshake handshake = new Handshake();
  private ByteBuf pending;
  private String address = "?";
  private String app;
  private MediaSink sink;
  private boolean deciding;
  private boolean ended;
  /** The publisher unpublished: nothing more goes to the sink. */
  private boolean unpublished;
  /** The peer closed while the gate decided: what it sent is still taken, then it ends. */
  private boolean closedWhileDeciding;
  private long received;
  private long acknowledged;
  private long peerWindow;
  private long lastRead = System.nanoTime();
  private ScheduledFuture<?> deadline;
  private ScheduledFuture<?> idleCheck;

  /**
   * @param deadlineMillis how long a connection may take to start publishing
   * @param idleMillis how long a publisher may send nothing before it counts as gone
   * @param maxMessage the longest RTMP message taken
   */
  public RtmpConnection(PublishGate gate, Executor blocking, long deadlineMillis,
      long idleMillis, int maxMessage) {
    this.gate = gate;
    this.blocking = blocking;
    this.deadlineMillis = deadlineMillis;
    this.idleMillis = idleMillis;
    this.reader = new ChunkReader(maxMessage);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      address = a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    pending = ctx.alloc().buffer();
    deadline = ctx.executor().schedule(() -> {
      if (sink == null) {
        refuse(ctx, "did not start publishing within " + deadlineMillis + " ms (a handshake"
            + " or commands that trickle or never end)");
      }
    }, deadlineMillis, TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      received += in.readableBytes();
      lastRead = System.nanoTime();
      if (!ctx.channel().isActive() || ended) {
        return;
      }
      pending.writeBytes(in);
    } finally {
      in.release();
    }
    try {
      process(ctx);
    } catch (RtmpProtocolException e) {
      refuse(ctx, e.getMessage());
    }
  }

  private void process(ChannelHandlerContext ctx) {
    if (!handshake.done()) {
      ByteBuf out = ctx.alloc().buffer();
      boolean done = handshake.read(pending, out);
      if (out.isReadable()) {
        ctx.writeAndFlush(out);
      } else {
        out.release();
      }
      if (!done) {
        pending.discardReadBytes();
        return;
      }
    }
    if (deciding) {
      return; // read again once the gate has answered
    }
    // a publish is decided before anything after it is read: media waits, unread, meanwhile
    reader.read(pending, m -> onMessage(ctx, m), () -> deciding || ended);
    pending.discardSomeReadBytes();
    if (peerWindow > 0 && received - acknowledged >= peerWindow) {
      acknowledged = received;
      send(ctx, RtmpMessage.control(RtmpMessage.ACKNOWLEDGEMENT, received & 0xFFFFFFFFL));
    }
  }

  private void onMessage(ChannelHandlerContext ctx, RtmpMessage m) {
    if (ended) {
      return;
    }
    switch (m.type()) {
      case RtmpMessage.WINDOW_ACK_SIZE -> peerWindow = Math.max(0, m.u32(0));
      case RtmpMessage.COMMAND_AMF0 -> command(ctx, Amf0.decodeAll(m.payload()));
      case RtmpMessage.COMMAND_AMF3 -> {
        // AMF3 commands start with a zero byte, then AMF0 values
        byte[] p = m.payload();
        command(ctx, Amf0.decodeAll(p.length > 0 ? java.util.Arrays.copyOfRange(p, 1, p.length)
            : p));
      }
      case RtmpMessage.AUDIO, RtmpMessage.VIDEO -> media(ctx, m);
      case RtmpMessage.DATA_AMF0 -> data(ctx, m);
      default -> { } // control messages the reader handled, pings, bandwidth: nothing to do
    }
  }

  private void command(ChannelHandlerContext ctx, List<Object> values) {
    if (values.isEmpty() || !(values.get(0) instanceof String name)) {
      throw new RtmpProtocolException("a command without a name");
    }
    Object txn = values.size() > 1 ? values.get(1) : 0.0;
    switch (name) {
      case "connect" -> connect(ctx, txn, values.size() > 2 ? values.get(2) : null);
      case "createStream" -> result(ctx, txn, Amf0.NULL, (double) STREAM_ID);
      case "releaseStream", "FCPublish", "getStreamLength" -> result(ctx, txn, Amf0.NULL,
          Amf0.UNDEFINED);
      case "publish" -> {
        if (app == null) {
          throw new RtmpProtocolException("publish before connect");
        }
        if (sink != null || deciding) {
          throw new RtmpProtocolException("a second publish on one connection");
        }
        Object streamName = values.size() > 3 ? values.get(3) : null;
        if (!(streamName instanceof String s) || s.isEmpty()) {
          throw new PublishRefusedException("NetStream.Publish.BadName", "publish without a"
              + " stream name; the stream key is <channel>?key=<secret>");
        }
        decide(ctx, PublishRequest.of(app, s, address));
      }
      case "play" -> throw new PublishRefusedException("NetStream.Play.Failed", "asked to play;"
          + " this server takes publishers only: watch the channel over HLS");
      case "FCUnpublish", "deleteStream", "closeStream" -> unpublish(ctx);
      default -> { } // _checkbw, ping answers and the like
    }
  }

  private void connect(ChannelHandlerContext ctx, Object txn, Object properties) {
    String a = properties instanceof Map<?, ?> p && p.get("app") instanceof String s ? s : "";
    while (a.endsWith("/")) {
      a = a.substring(0, a.length() - 1);
    }
    app = a;
    send(ctx, RtmpMessage.control(RtmpMessage.WINDOW_ACK_SIZE, WINDOW));
    byte[] bw = java.util.Arrays.copyOf(RtmpMessage.be32(WINDOW), 5);
    bw[4] = 2; // dynamic
    send(ctx, new RtmpMessage(RtmpMessage.SET_PEER_BANDWIDTH, 0, 0, 2, bw));
    send(ctx, RtmpMessage.control(RtmpMessage.SET_CHUNK_SIZE, OUT_CHUNK_SIZE));
    writer.chunkSize(OUT_CHUNK_SIZE);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("fmsVer", "FMS/3,5,7,7009");
    props.put("capabilities", 31.0);
    Map<String, Object> info = status("status", "NetConnection.Connect.Success",
        "Connection succeeded.");
    info.put("objectEncoding", 0.0);
    result(ctx, txn, props, info);
  }

  private void decide(ChannelHandlerContext ctx, PublishRequest request) {
    deciding = true;
    ctx.channel().config().setAutoRead(false);
    blocking.execute(() -> {
      MediaSink s = null;
      RuntimeException refused = null;
      try {
        s = gate.publish(request);
      } catch (RuntimeException e) {
        refused = e;
      }
      MediaSink taken = s;
      RuntimeException why = refused;
      try {
        ctx.executor().execute(() -> decided(ctx, request, taken, why));
      } catch (RejectedExecutionException e) {
        if (taken != null) {
          taken.end(false); // the server closed while the gate decided
        }
      }
    });
  }

  private void decided(ChannelHandlerContext ctx, PublishRequest request, MediaSink taken,
      RuntimeException why) {
    deciding = false;
    if (why != null || (!ctx.channel().isActive() && !closedWhileDeciding)) {
      if (taken != null) {
        taken.end(false);
      }
      if (why != null) {
        String code = why instanceof PublishRefusedException p ? p.code()
            : "NetStream.Publish.Failed";
        sendStatus(ctx, "error", code, why.getMessage());
        refuse(ctx, "publish of '" + request.channel() + "' refused: " + why.getMessage());
      }
      return;
    }
    sink = taken;
    sink.onStopped(() -> {
      try {
        ctx.executor().execute(() -> end(ctx, false));
      } catch (RejectedExecutionException e) {
        // the server is closing: every connection goes with it
      }
    });
    deadline.cancel(false);
    LOG.info("RTMP publisher {} live on channel {}", address, request.channel());
    byte[] begin = new byte[6]; // user control: stream begin, stream 1
    begin[5] = STREAM_ID;
    send(ctx, new RtmpMessage(RtmpMessage.USER_CONTROL, 0, 0, 2, begin));
    sendStatus(ctx, "status", "NetStream.Publish.Start", request.channel() + " is now"
        + " published.");
    sink.write(FlvTags.header());
    idleCheck = ctx.executor().scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastRead > idleMillis * 1_000_000L && ctx.channel().config()
          .isAutoRead()) {
        LOG.warn("RTMP publisher {} sent nothing for {} ms: taken as gone", address, idleMillis);
        end(ctx, false);
      }
    }, idleMillis, Math.max(100, idleMillis / 4), TimeUnit.MILLISECONDS);
    ctx.channel().config().setAutoRead(true);
    try {
      process(ctx); // what came in while the gate decided
    } catch (RtmpProtocolException e) {
      refuse(ctx, e.getMessage());
    }
    if (closedWhileDeciding) {
      end(ctx, false);
      release();
    }
  }

  private void media(ChannelHandlerContext ctx, RtmpMessage m) {
    if (unpublished) {
      return;
    }
    if (sink == null) {
      throw new RtmpProtocolException("media before a publish was taken");
    }
    if (m.payload().length == 0) {
      return;
    }
    forward(ctx, FlvTags.tag(m));
  }

  private void data(ChannelHandlerContext ctx, RtmpMessage m) {
    if (sink == null || unpublished) {
      return; // metadata before publish: nothing to keep it for
    }
    List<Object> values = Amf0.decodeAll(m.payload());
    if (!values.isEmpty() && "@setDataFrame".equals(values.get(0))) {
      // the FLV demuxer reads onMetaData without the relay marker
      byte[] body = Amf0.encode(values.subList(1, values.size()).toArray());
      forward(ctx, FlvTags.tag(RtmpMessage.DATA_AMF0, m.timestamp(), body, 0, body.length));
    } else if (!values.isEmpty() && "onMetaData".equals(values.get(0))) {
      forward(ctx, FlvTags.tag(RtmpMessage.DATA_AMF0, m.timestamp(), m.payload(), 0,
          m.payload().length));
    }
  }

  private void forward(ChannelHandlerContext ctx, byte[] flv) {
    if (!sink.write(flv)) {
      // the pipeline is behind: stop reading; TCP slows the publisher down
      ctx.channel().config().setAutoRead(false);
      sink.onDrained(() -> {
        try {
          ctx.executor().execute(() -> {
            if (ctx.channel().isActive() && !ended) {
              lastRead = System.nanoTime();
              ctx.channel().config().setAutoRead(true);
            }
          });
        } catch (RejectedExecutionException e) {
          // the server is closing
        }
      });
    }
  }

  private static Map<String, Object> status(String level, String code, String description) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    info.put("description", description);
    return info;
  }

  private void sendStatus(ChannelHandlerContext ctx, String level, String code,
      String description) {
    byte[] body = Amf0.encode("onStatus", 0.0, Amf0.NULL, status(level, code, description));
    send(ctx, new RtmpMessage(RtmpMessage.COMMAND_AMF0, STREAM_ID, 0, 5, body));
  }

  private void result(ChannelHandlerContext ctx, Object txn, Object a, Object b) {
    byte[] body = Amf0.encode("_result", txn, a, b);
    send(ctx, new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, 3, body));
  }

  private void send(ChannelHandlerContext ctx, RtmpMessage m) {
    ByteBuf out = ctx.alloc().buffer(m.payload().length + 32);
    writer.write(m, out);
    ctx.writeAndFlush(out);
  }

  /**
   * The publisher stops: its stream ends cleanly, and the connection stays open for it to close
   * (as publishers expect; GStreamer reports an error when the server closes first), for a few
   * seconds at most.
   */
  private void unpublish(ChannelHandlerContext ctx) {
    if (sink == null || unpublished) {
      return;
    }
    unpublished = true;
    sink.end(true);
    LOG.info("RTMP publisher {} unpublished", address);
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    ctx.executor().schedule(() -> end(ctx, true), 5, TimeUnit.SECONDS);
  }

  private void refuse(ChannelHandlerContext ctx, String why) {
    LOG.warn("RTMP connection from {} closed: {}", address, why);
    end(ctx, false);
  }

  private void end(ChannelHandlerContext ctx, boolean clean) {
    if (ended) {
      return;
    }
    ended = true;
    if (sink != null && !unpublished) {
      sink.end(clean);
      LOG.info("RTMP publisher {} dropped", address);
    }
    ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deciding) {
      // what it sent before it closed is still taken once the gate has said yes
      closedWhileDeciding = true;
      ctx.fireChannelInactive();
      return;
    }
    end(ctx, false);
    release();
    ctx.fireChannelInactive();
  }

  private void release() {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof RtmpProtocolException e) {
      refuse(ctx, e.getMessage());
    } else {
      LOG.debug("RTMP connection from {}: {}", address, cause.toString());
      end(ctx, false);
    }
  }
}
