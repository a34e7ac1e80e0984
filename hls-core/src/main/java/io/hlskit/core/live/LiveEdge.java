package io.hlskit.core.live;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where live playlists announce their new edge: the pipeline that writes a live channel's
 * playlists into the store tells, after each write, which part it now ends with, and servers
 * holding Low-Latency HLS requests ({@code _HLS_msn}, {@code _HLS_part}, preload hints) answer
 * them at once from the store. {@link #inProcess()} serves one instance; a backend such as
 * hls-chat-redis's carries the announcements to every instance on the same store, so that any of
 * them answers blocking requests whichever instance takes the publisher.
 *
 * <p>Implementations are thread-safe. Listeners run on a thread of the implementation's (the
 * announcer's own for {@link #inProcess()}) and must return quickly.
 */
public interface LiveEdge {

  /**
   * Where a live media playlist ends now.
   *
   * @param channel the channel's id
   * @param rendition the rendition's folder ({@code 720p}); its playlist is {@code
   *     <channel>/<rendition>/index.m3u8}
   * @param msn the media sequence number of the segment its last part belongs to
   * @param part that part's index in the segment; -1 when the playlist has no parts
   * @param complete whether segment {@code msn} is complete (its URI is in the playlist)
   * @param ended whether the playlist is closed ({@code EXT-X-ENDLIST}): nothing more comes
   */
  record Position(String channel, String rendition, long msn, long part, boolean complete,
      boolean ended) {
    public Position {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(rendition, "rendition");
      if (msn < 0 || part < -1) {
        throw new IllegalArgumentException("a live edge is at segment 0 or later and part -1"
            + " (none) or later: " + msn + "." + part);
      }
    }

    /** The playlist's key in the store. */
    public String playlistKey() {
      return channel + "/" + rendition + "/index.m3u8";
    }

    /**
     * Whether a request for segment {@code msn} (and part {@code part}, or -1 for the whole
     * segment) can be answered from this playlist: it holds that part, or that complete segment.
     */
    public boolean holds(long msn, long part) {
      if (ended) {
        return true;
      }
      long lastComplete = complete ? this.msn : this.msn - 1;
      if (part < 0) {
        return msn <= lastComplete;
      }
      return msn < this.msn || msn == this.msn && part <= this.part;
    }
  }

  /** A registration of a listener; closing it stops the announcements to it. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** Announces where a playlist ends; called after the store holds it. */
  void announce(Position position);

  /**
   * Calls {@code listener} with every position announced: this instance's and, when the backend
   * carries them, the other instances'.
   */
  Registration listen(Consumer<Position> listener);

  /** Announcements within this JVM: listeners run on the announcer's thread. */
  static LiveEdge inProcess() {
    return new InProcessLiveEdge();
  }
}
