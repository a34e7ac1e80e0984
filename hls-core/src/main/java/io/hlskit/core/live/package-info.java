/**
 * Live channels in a store: creating them ({@link io.hlskit.core.live.LiveChannels}) with their
 * stream keys, which only the store's {@code keys/} folder holds, as hashes. The pipeline that
 * takes publishers is in hls-transcode ({@code LiveIngest}).
 */
package io.hlskit.core.live;
