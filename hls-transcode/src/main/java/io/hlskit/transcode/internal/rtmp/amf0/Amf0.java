package io.hlskit.transcode.internal.rtmp.amf0;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMF0, the value encoding of RTMP's commands and metadata: numbers, booleans, strings, objects,
 * ECMA and strict arrays, dates, null and undefined. Values map to Java as {@code Double},
 * {@code Boolean}, {@code String}, {@code Map<String,Object>} (insertion order kept), {@code
 * List<Object>}, {@link #NULL} and {@link #UNDEFINED}; a date reads as its milliseconds ({@code
 * Double}).
 *
 * <p>Decoding is bounded: nesting deeper than {@link #MAX_DEPTH} or more than {@link
 * #MAX_ENTRIES} entries in all is an {@link Amf0Exception}, as is any value that runs past the
 * end of its bytes, so that a hostile publisher cannot make a command cost more than its size.
 */
public final class Amf0 {
  /** The AMF0 null value. */
  public static final Object NULL = new Marker("null");
  /** The AMF0 undefined value. */
  public static final Object UNDEFINED = new Marker("undefined");

  /** The deepest nesting of objects and arrays taken. */
  public static final int MAX_DEPTH = 16;
  /** The most values taken in one decode. */
  public static final int MAX_ENTRIES = 4096;

  private static final int NUMBER = 0x00;
  private static final int BOOLEAN = 0x01;
  private static final int STRING = 0x02;
  private static final int OBJECT = 0x03;
  private static final int NULL_MARKER = 0x05;
  private static final int UNDEFINED_MARKER = 0x06;
  private static final int REFERENCE = 0x07;
  private static final int ECMA_ARRAY = 0x08;
  private static final int OBJECT_END = 0x09;
  private static final int STRICT_ARRAY = 0x0A;
  private static final int DATE = 0x0B;
  private static final int LONG_STRING = 0x0C;
  private static final int UNSUPPORTED = 0x0D;
  private static final int XML_DOCUMENT = 0x0F;
  private static final int TYPED_OBJECT = 0x10;
  private static final int AVMPLUS = 0x11;

  private Amf0() {}

  private record Marker(String name) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Every value in {@code bytes}, in order. */
  public static List<Object> decodeAll(byte[] bytes) {
    Reader r = new Reader(bytes);
    List<Object> values = new ArrayList<>();
    while (r.pos < bytes.length) {
      values.add(r.value(0));
    }
    return values;
  }

  /** The values encoded one after another. */
  public static byte[] encode(Object... values) {
    Writer w = new Writer();
    for (Object v : values) {
      w.value(v);
    }
    return w.bytes();
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;
    private int entries;

    Reader(byte[] b) {
      this.b = b;
    }

    private void need(int n) {
      if (n < 0 || b.length - pos < n) {
        throw new Amf0Exception("AMF0 value cut short at byte " + pos + " of " + b.length);
      }
    }

    private int u8() {
      need(1);
      return b[pos++] & 0xFF;
    }

    private int u16() {
      need(2);
      int v = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
      pos += 2;
      return v;
    }

    private long u32() {
      need(4);
      long v = (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFFL) << 16 | (b[pos + 2] & 0xFFL) << 8
          | (b[pos + 3] & 0xFFL);
      pos += 4;
      return v;
    }

    private double number() {
      need(8);
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = bits << 8 | (b[pos + i] & 0xFF);
      }
      pos += 8;
      return Double.longBitsToDouble(bits);
    }

    private String utf8(long length) {
      if (length > Integer.MAX_VALUE) {
        throw new Amf0Exception("AMF0 string of " + length + " bytes");
      }
      need((int) length);
      String s = new String(b, pos, (int) length, StandardCharsets.UTF_8);
      pos += (int) length;
      return s;
    }

    Object value(int depth) {
      if (++entries > MAX_ENTRIES) {
        throw new Amf0Exception("more than " + MAX_ENTRIES + " AMF0 values in one message");
      }
      if (depth > MAX_DEPTH) {
        throw new Amf0Exception("AMF0 values nested deeper than " + MAX_DEPTH);
      }
      int marker = u8();
      switch (marker) {
        case NUMBER:
          return number();
        case BOOLEAN:
          return u8() != 0;
        case STRING:
          return utf8(u16());
        case LONG_STRING:
        case XML_DOCUMENT:
          return utf8(u32());
        case OBJECT:
          return properties(depth);
        case TYPED_OBJECT:
          utf8(u16()); // the class name: not needed
          return properties(depth);
        case ECMA_ARRAY:
          u32(); // a count that encoders get wrong; the end marker is what counts
          return properties(depth);
        case STRICT_ARRAY: {
          long count = u32();
          // each value takes a byte at least: a count past the bytes left is a lie
          if (count > b.length - pos) {
            throw new Amf0Exception("AMF0 array of " + count + " values in " + (b.length - pos)
                + " bytes");
          }
          List<Object> list = new ArrayList<>();
          for (long i = 0; i < count; i++) {
            list.add(value(depth + 1));
          }
          return list;
        }
        case DATE: {
          double millis = number();
          u16(); // time zone, unused by the format's own rules
          return millis;
        }
        case NULL_MARKER:
          return NULL;
        case UNDEFINED_MARKER:
        case UNSUPPORTED:
          return UNDEFINED;
        case REFERENCE:
          u16();
          return UNDEFINED; // references to earlier objects are not followed
        case AVMPLUS:
          throw new Amf0Exception("AMF3 values are not taken; send AMF0 (object encoding 0)");
        default:
          throw new Amf0Exception("unknown AMF0 marker 0x" + Integer.toHexString(marker)
              + " at byte " + (pos - 1));
      }
    }

    private Map<String, Object> properties(int depth) {
      Map<String, Object> m = new LinkedHashMap<>();
      while (true) {
        String key = utf8(u16());
        if (key.isEmpty() && pos < b.length && (b[pos] & 0xFF) == OBJECT_END) {
          pos++;
          return m;
        }
        m.put(key, value(depth + 1));
      }
    }
  }

  private static final class Writer {
    private byte[] buf = new byte[256];
    private int len;

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    private void u8(int v) {
      ensure(1);
      buf[len++] = (byte) v;
    }

    private void u16(int v) {
      u8(v >>> 8);
      u8(v);
    }

    private void u32(long v) {
      u16((int) (v >>> 16) & 0xFFFF);
      u16((int) v & 0xFFFF);
    }

    private void utf8(String s, boolean allowLong) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0xFFFF && !allowLong) {
        throw new IllegalArgumentException("an AMF0 key is at most 65535 bytes");
      }
      if (bytes.length > 0xFFFF) {
        u32(bytes.length);
      } else {
        u16(bytes.length);
      }
      ensure(bytes.length);
      System.arraycopy(bytes, 0, buf, len, bytes.length);
      len += bytes.length;
    }

    void value(Object v) {
      if (v == null || v == NULL) {
        u8(NULL_MARKER);
      } else if (v == UNDEFINED) {
        u8(UNDEFINED_MARKER);
      } else if (v instanceof Number n) {
        u8(NUMBER);
        long bits = Double.doubleToLongBits(n.doubleValue());
        u32(bits >>> 32);
        u32(bits & 0xFFFFFFFFL);
      } else if (v instanceof Boolean bool) {
        u8(BOOLEAN);
        u8(bool ? 1 : 0);
      } else if (v instanceof String s) {
        u8(s.getBytes(StandardCharsets.UTF_8).length > 0xFFFF ? LONG_STRING : STRING);
        utf8(s, true);
      } else if (v instanceof Map<?, ?> m) {
        u8(OBJECT);
        for (Map.Entry<?, ?> e : m.entrySet()) {
          utf8(String.valueOf(e.getKey()), false);
          value(e.getValue());
        }
        u16(0);
        u8(OBJECT_END);
      } else if (v instanceof List<?> list) {
        u8(STRICT_ARRAY);
        u32(list.size());
        for (Object o : list) {
          value(o);
        }
      } else {
        throw new IllegalArgumentException("no AMF0 encoding for " + v.getClass().getName());
      }
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(buf, len);
    }
  }
}
