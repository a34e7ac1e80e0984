/**
 * The core of hlskit: the exception hierarchy rooted at {@link io.hlskit.core.HlsException}.
 *
 * <p>Sub-packages hold the playlist models with the RFC 8216 writer and parser
 * ({@link io.hlskit.core.playlist}), and the service-provider interfaces that the other modules
 * implement: storage ({@link io.hlskit.core.store}), channels ({@link io.hlskit.core.channel}),
 * chat ({@link io.hlskit.core.chat}) and ingest ({@link io.hlskit.core.ingest}).
 */
package io.hlskit.core;
