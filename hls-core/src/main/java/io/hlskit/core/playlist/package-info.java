/**
 * RFC 8216 playlists: immutable models, a writer and a parser.
 *
 * <p>{@link io.hlskit.core.playlist.MediaPlaylist} holds the segments of one rendition and {@link
 * io.hlskit.core.playlist.MultivariantPlaylist} the variants of a presentation; both are records
 * with builders. {@link io.hlskit.core.playlist.PlaylistWriter} writes them, {@link
 * io.hlskit.core.playlist.PlaylistParser} reads them back, strictly or leniently.
 *
 * <pre>{@code
 * MediaPlaylist playlist = MediaPlaylist.builder()
 *     .playlistType(PlaylistType.VOD)
 *     .addSegment("seg_00000.ts", Duration.ofMillis(6006))
 *     .addSegment("seg_00001.ts", Duration.ofMillis(4004))
 *     .endList(true)
 *     .build();
 * String text = PlaylistWriter.write(playlist);     // #EXT-X-TARGETDURATION:7 ...
 * MediaPlaylist again = PlaylistParser.strict().parseMedia(text);
 * }</pre>
 */
package io.hlskit.core.playlist;
