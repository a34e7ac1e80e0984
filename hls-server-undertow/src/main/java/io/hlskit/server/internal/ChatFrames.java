package io.hlskit.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The chat's client frames decoded and checked, apart from any connection (so that they can be
 * fuzzed): {@code {"type":"join","username":"ana"}} and {@code {"type":"chat_message",
 * "text":"hola"}}. Whatever the input, the answer is a {@link Frame}, never an exception.
 */
public final class ChatFrames {
  public static final int MAX_USERNAME = 32;
  public static final int MAX_TEXT = 500;

  private ChatFrames() {}

  /** A decoded client frame. */
  public sealed interface Frame permits Join, Say, Invalid {}

  /** Join (or rename) with a name of 1-32 characters, trimmed, without control characters. */
  public record Join(String username) implements Frame {}

  /** A message of 1-500 characters, trimmed; line breaks and tabs are its only controls. */
  public record Say(String text) implements Frame {}

  /** What was wrong, as the error frame's {@code code} and {@code message}. */
  public record Invalid(String code, String message) implements Frame {}

  /** Decodes one text frame. */
  public static Frame decode(String data) {
    JsonNode frame;
    try {
      frame = Responses.JSON.readTree(data);
    } catch (IOException | RuntimeException e) {
      return new Invalid("malformed_json", "frames are JSON objects such as"
          + " {\"type\":\"chat_message\",\"text\":\"hola\"}");
    }
    if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
      return new Invalid("bad_frame", "a frame is a JSON object with a \"type\"");
    }
    switch (frame.get("type").asText()) {
      case "join": {
        JsonNode node = frame.path("username");
        String name = node.isTextual() ? node.asText().strip() : "";
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_USERNAME || !isClean(name, false)) {
          return new Invalid("bad_username", "a username has 1 to " + MAX_USERNAME
              + " characters and no control characters");
        }
        return new Join(name);
      }
      case "chat_message": {
        JsonNode node = frame.path("text");
        String text = node.isTextual() ? node.asText().strip() : "";
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > MAX_TEXT || !isClean(text, true)) {
          return new Invalid("bad_text", "a message has 1 to " + MAX_TEXT
              + " characters and no control characters but line breaks and tabs");
        }
        return new Say(text);
      }
      default:
        return new Invalid("unknown_type", "frame types are join and chat_message");
    }
  }

  /**
   * No control characters (but {@code \n} and {@code \t} where {@code lines}) and no half of a
   * surrogate pair: JSON escapes can spell one, and it has no UTF-8 to go out as.
   */
  static boolean isClean(String s, boolean lines) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && !(lines && (c == '\n' || c == '\t')) || c >= 0x7f && c < 0xa0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
