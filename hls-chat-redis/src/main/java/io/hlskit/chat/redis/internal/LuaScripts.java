package io.hlskit.chat.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The broker's Lua scripts, kept as {@code .lua} resources beside this class. */
public final class LuaScripts {
  private LuaScripts() {}

  /** The text of the script {@code name} ({@code "send"} for {@code send.lua}). */
  public static String load(String name) {
    try (InputStream in = LuaScripts.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("the jar has no Lua script " + name + ".lua");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Lua script " + name + ".lua", e);
    }
  }
}
