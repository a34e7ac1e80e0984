/**
 * Linear channels: a {@link io.hlskit.core.linear.Schedule} of stored channels played one after
 * another as a live stream, the {@link io.hlskit.core.linear.LinearTimeline} that computes its
 * live media playlists from the clock over the items' own segments (nothing transcoded or
 * copied), {@link io.hlskit.core.linear.LinearPlaylists} that answers every playlist of a store's
 * linear channels, and {@link io.hlskit.core.linear.LinearChannels} that publishes one.
 */
package io.hlskit.core.linear;
