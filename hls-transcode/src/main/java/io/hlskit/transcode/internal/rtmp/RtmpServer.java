package io.hlskit.transcode.internal.rtmp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * An RTMP listening socket on Netty: each connection gets its own {@link RtmpConnection}. One
 * event loop thread serves every connection (RTMP ingest is a few megabits a publisher; the
 * encoding is where the time goes).
 */
public final class RtmpServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;

  private RtmpServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Listens on {@code host}:{@code port} (0 picks a free one). */
  public static RtmpServer start(String host, int port, PublishGate gate, Executor blocking,
      long deadlineMillis, long idleMillis, int maxMessage) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
      Thread t = new Thread(r, "hlskit-rtmp");
      t.setDaemon(true);
      return t;
    }, NioIoHandler.newFactory());
    try {
      Channel ch = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              c.pipeline().addLast(new RtmpConnection(gate, blocking, deadlineMillis,
                  idleMillis, maxMessage));
            }
          })
          .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
      return new RtmpServer(group, ch);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
