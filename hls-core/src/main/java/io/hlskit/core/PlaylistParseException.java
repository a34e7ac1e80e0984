package io.hlskit.core;

/**
 * A playlist could not be parsed: it says on which line (1-based) and what was expected there.
 */
public class PlaylistParseException extends HlsException {
  private static final long serialVersionUID = 1L;

  private final int line;

  /**
   * @param line the 1-based line number of the offending line, or 0 when the problem is with the
   *     playlist as a whole (for example a missing tag)
   * @param problem what was found and what was expected instead
   */
  public PlaylistParseException(int line, String problem) {
    super(line > 0 ? "line " + line + ": " + problem : problem);
    this.line = line;
  }

  /** The 1-based line number of the problem, or 0 when it concerns the whole playlist. */
  public int line() {
    return line;
  }
}
