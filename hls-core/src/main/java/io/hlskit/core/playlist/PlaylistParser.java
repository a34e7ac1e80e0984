package io.hlskit.core.playlist;

import io.hlskit.core.PlaylistParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads RFC 8216 playlists into {@link MediaPlaylist} and {@link MultivariantPlaylist}.
 *
 * <p>Two modes:
 *
 * <ul>
 *   <li>{@link #strict()} validates: it fails on anything malformed or out of place, on tags and
 *       key attributes it does not model, on a missing or too-short {@code EXT-X-TARGETDURATION}
 *       and on an {@code EXT-X-VERSION} too low for the features used. Use it on playlists you
 *       produce.
 *   <li>{@link #lenient()} reads what players read: it keeps unknown tags (written back as they
 *       were), tolerates a byte-order mark, stray white space, a missing {@code EXTINF} comma and
 *       repeated tags, and derives a missing or wrong target duration and version. Use it on
 *       playlists from elsewhere.
 * </ul>
 *
 * <p>Both fail with a {@link PlaylistParseException} that gives the line and what was expected.
 * Attributes of {@code EXT-X-STREAM-INF}, {@code EXT-X-MEDIA} and {@code EXT-X-I-FRAME-STREAM-INF}
 * that hlskit does not model are kept in either mode, as RFC 8216 asks clients to ignore them.
 * Comments (lines starting with {@code #} but not {@code #EXT}) and blank lines are skipped.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PlaylistParser {
  private static final PlaylistParser STRICT = new PlaylistParser(true);
  private static final PlaylistParser LENIENT = new PlaylistParser(false);

  private final boolean strict;

  private PlaylistParser(boolean strict) {
    this.strict = strict;
  }

  /** A parser that fails on anything that is not a valid playlist of modelled tags. */
  public static PlaylistParser strict() {
    return STRICT;
  }

  /** A parser that reads what real-world players read and keeps what it does not model. */
  public static PlaylistParser lenient() {
    return LENIENT;
  }

  /** Parses a whole playlist. */
  public Playlist parse(CharSequence text) {
    try {
      return parse(new StringReader(text.toString()));
    } catch (UncheckedIOException e) {
      throw new AssertionError("a StringReader does not fail", e);
    }
  }

  /** Parses a UTF-8 playlist from a stream, which stays open. */
  public Playlist parse(InputStream in) {
    return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /**
   * Parses a playlist from a reader, which stays open.
   *
   * @throws UncheckedIOException when the reader fails
   */
  public Playlist parse(Reader reader) {
    BufferedReader lines =
        reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
    ParseState s = new ParseState(strict);
    try {
      readHeader(lines, s);
      String raw;
      while ((raw = lines.readLine()) != null) {
        s.line++;
        readLine(raw, s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the playlist failed at line " + s.line, e);
    }
    return s.finish();
  }

  /** Parses text that must be a media playlist. */
  public MediaPlaylist parseMedia(CharSequence text) {
    Playlist p = parse(text);
    if (p instanceof MediaPlaylist) {
      return (MediaPlaylist) p;
    }
    throw new PlaylistParseException(0, "expected a media playlist (#EXTINF segments), found a"
        + " multivariant playlist (#EXT-X-STREAM-INF variants)");
  }

  /** Parses text that must be a multivariant playlist. */
  public MultivariantPlaylist parseMultivariant(CharSequence text) {
    Playlist p = parse(text);
    if (p instanceof MultivariantPlaylist) {
      return (MultivariantPlaylist) p;
    }
    throw new PlaylistParseException(0, "expected a multivariant playlist (#EXT-X-STREAM-INF"
        + " variants), found a media playlist");
  }

  private void readHeader(BufferedReader lines, ParseState s) throws IOException {
    String first;
    do {
      first = lines.readLine();
      s.line++;
      if (first == null) {
        throw s.error("the playlist is empty; it must start with #EXTM3U");
      }
      if (!strict) {
        if (s.line == 1 && !first.isEmpty() && first.charAt(0) == '\uFEFF') {
          first = first.substring(1);
        }
        first = first.strip();
      }
    } while (!strict && first.isEmpty());
    if (!first.equals("#EXTM3U")) {
      throw s.error("expected #EXTM3U on the first line, found '" + abbreviate(first) + "'"
          + (first.startsWith("\uFEFF") ? " (a byte-order mark, which RFC 8216 forbids)" : ""));
    }
  }

  private void readLine(String raw, ParseState s) {
    String line = raw;
    if (strict) {
      if (!line.isEmpty() && (Character.isWhitespace(line.charAt(0))
          || Character.isWhitespace(line.charAt(line.length() - 1)))) {
        throw s.error("unexpected white space around '" + abbreviate(line.strip()) + "'");
      }
      // the one tab RFC 8216bis allows: EXT-X-SKIP's tab-separated RECENTLY-REMOVED-DATERANGES
      boolean tabs = line.startsWith("#EXT-X-SKIP:");
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c < 0x20 && !(c == '\t' && tabs) || c >= 0x7f && c <= 0x9f) {
          throw s.error(String.format("control character U+%04X at column %d; RFC 8216 allows"
              + " none but the line ends", (int) c, i + 1));
        }
      }
    } else {
      line = line.strip();
    }
    if (line.isEmpty()) {
      return;
    }
    if (line.charAt(0) != '#') {
      s.uri(line);
      return;
    }
    if (!line.startsWith("#EXT")) {
      return; // a comment
    }
    int colon = line.indexOf(':');
    String name = colon < 0 ? line : line.substring(0, colon);
    Tag tag = Tag.byName(name);
    if (tag == null) {
      s.unknownTag(line);
      return;
    }
    s.beforeTag(tag);
    if (tag.hasValue && colon < 0) {
      throw s.error(tag.name + " needs a value after ':'");
    }
    if (!tag.hasValue && colon >= 0) {
      throw s.error(tag.name + " takes no value, found '" + abbreviate(line) + "'");
    }
    tag.read(s, colon < 0 ? null : line.substring(colon + 1));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
