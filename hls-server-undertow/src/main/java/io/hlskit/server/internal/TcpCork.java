package io.hlskit.server.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.StreamConnection;

/**
 * Linux's {@code TCP_CORK} around a large response sent from a file (1 MiB or more, {@code
 * StreamsHandler.CORK_MIN_BYTES}): the head and the file's bytes
 * leave in full-sized packets, and the kernel does the send's work on the server's core, in the
 * call that sends (as nginx's {@code tcp_nopush} does). Without it, a segment sent with
 * {@code sendfile} after a separately written head costs the machine a third more CPU per byte,
 * most of it on the receiving side of loopback and on the client's core.
 *
 * <p>The JDK has no such socket option, so this reaches libc's {@code setsockopt} through JNA on
 * the connection's descriptor, which needs the JVM flag {@code --add-exports
 * java.base/sun.nio.ch=ALL-UNNAMED} (the demo's jar carries it in its manifest). Elsewhere
 * (another OS, no flag, a connection that is not a plain socket) {@link #cork} does nothing and
 * responses go out as they always did; why is logged once.
 */
public final class TcpCork {
  private static final Logger LOG = LoggerFactory.getLogger(TcpCork.class);
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_CORK = 3;

  /** XNIO's plain socket connection, the one kind that can be corked. */
  private static final Class<?> PLAIN;
  /** The socket channel of XNIO's plain connection; null when unreachable. */
  private static final MethodHandle CHANNEL;
  /** A socket channel's descriptor; null when unreachable. */
  private static final MethodHandle DESCRIPTOR;
  private static final Pointer ON;
  private static final Pointer OFF;
  private static final String UNAVAILABLE;

  static {
    Class<?> plain = null;
    MethodHandle channel = null;
    MethodHandle descriptor = null;
    Pointer on = null;
    Pointer off = null;
    String why = null;
    try {
      if (!Platform.isLinux()) {
        throw new UnsupportedOperationException("TCP_CORK is Linux's");
      }
      Native.register(LibC.class, Platform.C_LIBRARY_NAME);
      on = new Memory(4);
      on.setInt(0, 1);
      off = new Memory(4);
      off.setInt(0, 0);
      plain = Class.forName("org.xnio.nio.NioSocketStreamConnection");
      Method m = plain.getDeclaredMethod("getChannel");
      m.setAccessible(true);
      channel = MethodHandles.lookup().unreflect(m)
          .asType(MethodType.methodType(SocketChannel.class, StreamConnection.class));
      Method fd = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
      descriptor = MethodHandles.lookup().unreflect(fd)
          .asType(MethodType.methodType(int.class, SocketChannel.class));
      try (SocketChannel probe = SocketChannel.open()) { // every part, once, on a real socket
        int d = (int) descriptor.invokeExact(probe);
        if (LibC.setsockopt(d, IPPROTO_TCP, TCP_CORK, on, 4) != 0
            || LibC.setsockopt(d, IPPROTO_TCP, TCP_CORK, off, 4) != 0) {
          throw new IllegalStateException("setsockopt(TCP_CORK) failed: errno "
              + Native.getLastError());
        }
      }
    } catch (Throwable e) { // not Linux, no JNA natives, no access: the plain path
      channel = null;
      descriptor = null;
      why = e instanceof IllegalAccessException
          ? "the JVM runs without --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
          : e.toString();
    }
    PLAIN = plain;
    CHANNEL = channel;
    DESCRIPTOR = descriptor;
    ON = on;
    OFF = off;
    UNAVAILABLE = why;
  }

  private TcpCork() {}

  /** Why corking is not available here, or null when it is. */
  public static String unavailable() {
    return UNAVAILABLE;
  }

  /** Logs once, at start, that responses go out uncorked and why; nothing when corked. */
  public static void logAvailability() {
    if (UNAVAILABLE != null) {
      LOG.info("segments are sent without TCP_CORK ({}); on Linux, run Java with --add-exports"
          + " java.base/sun.nio.ch=ALL-UNNAMED for nginx-like sending", UNAVAILABLE);
    }
  }

  /**
   * Corks the exchange's connection, and returns its descriptor to {@link #uncork} once the
   * response's last byte is written; -1 when it could not be corked (nothing to undo).
   */
  public static int cork(HttpServerExchange exchange) {
    if (CHANNEL == null || !(exchange.getConnection() instanceof AbstractServerConnection c)) {
      return -1;
    }
    StreamConnection stream = c.getChannel();
    if (stream.getClass() != PLAIN) {
      return -1; // TLS, or another transport: nothing to cork here
    }
    try {
      int fd = (int) DESCRIPTOR.invokeExact((SocketChannel) CHANNEL.invokeExact(stream));
      return fd >= 0 && LibC.setsockopt(fd, IPPROTO_TCP, TCP_CORK, ON, 4) == 0 ? fd : -1;
    } catch (Throwable e) {
      LOG.debug("could not cork {}: {}", exchange.getRequestPath(), e.toString());
      return -1;
    }
  }

  /** Lets out what {@link #cork} held back; {@code fd} is what it returned (-1: nothing). */
  public static void uncork(int fd) {
    if (fd >= 0) {
      LibC.setsockopt(fd, IPPROTO_TCP, TCP_CORK, OFF, 4);
    }
  }

  /** libc, bound by JNA's direct mapping (no per-call reflection). */
  private static final class LibC {
    static native int setsockopt(int fd, int level, int name, Pointer value, int length);
  }
}
