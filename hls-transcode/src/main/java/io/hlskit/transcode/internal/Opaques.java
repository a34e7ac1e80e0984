package io.hlskit.transcode.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Java objects that libav callbacks reach through their {@code opaque} pointer. JavaCPP gives
 * each callback class ten native instances only, and hands libav a NULL function for the
 * eleventh while ten are alive: so each kind of callback (reading a live stream, writing a
 * segment, an interrupt check) is one instance for the whole JVM, which finds the object it
 * works for here, by the token it was given as {@code opaque}.
 *
 * @param <T> what the callbacks work for
 */
final class Opaques<T> {
  private final Map<Long, T> objects = new ConcurrentHashMap<>();

  /** A native token standing for {@code object}, to pass as the opaque pointer. */
  Pointer register(T object) {
    Pointer token = new LongPointer(1);
    objects.put(token.address(), object);
    return token;
  }

  /** The object {@code opaque} stands for; null once released. */
  T get(Pointer opaque) {
    return opaque == null || opaque.isNull() ? null : objects.get(opaque.address());
  }

  /** Forgets {@code token} and frees it; null is ignored. */
  void release(Pointer token) {
    if (token != null) {
      objects.remove(token.address());
      token.close();
    }
  }
}
