package io.hlskit.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

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

  /**
   * Join (or rename) with a name of 1-32 characters in NFKC, trimmed: no control, format
   * (bidi overrides, zero-width), private-use or unassigned characters, at most two combining
   * marks in a row, and none of the {@link #RESERVED} names.
   */
  public record Join(String username) implements Frame {}

  /**
   * Names no one may take by joining (compared in lower case): they would pass for the service
   * or its staff. A name fixed by the access policy (a token's) is not checked.
   */
  public static final Set<String> RESERVED = Set.of("admin", "administrator", "moderator",
      "mod", "system", "server", "hlskit", "root", "staff", "support", "owner");

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
        String raw = node.isTextual() ? node.asText() : "";
        if (raw.length() > 4 * MAX_USERNAME || !isClean(raw, false)) {
          return badName();
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_USERNAME || !isClean(name, false) || !isPlain(name)) {
          return badName();
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
          return new Invalid("reserved_username", "the name " + name + " is kept for the"
              + " service; choose another");
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

  private static Invalid badName() {
    return new Invalid("bad_username", "a username has 1 to " + MAX_USERNAME + " characters:"
        + " letters, digits, marks, punctuation, symbols and spaces, without control or"
        + " invisible formatting characters");
  }

  /**
   * No format characters (bidi overrides and isolates, zero-width joiners and spaces), private
   * use or unassigned code points, line or paragraph separators, and at most two combining marks
   * in a row: what makes a name look like another or spill over what follows it.
   */
  static boolean isPlain(String name) {
    int marks = 0;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      switch (type) {
        case Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE,
            Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.CONTROL:
          return false;
        case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
            Character.COMBINING_SPACING_MARK:
          if (++marks > 2) {
            return false;
          }
          break;
        default:
          marks = 0;
      }
    }
    return true;
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
