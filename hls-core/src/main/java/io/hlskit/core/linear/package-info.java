/**
 * Linear channels: a {@link io.hlskit.core.linear.Schedule} of stored channels played one after
 * another as a live stream, and the {@link io.hlskit.core.linear.LinearTimeline} that computes
 * its live media playlists from the clock, over the items' own segments (nothing transcoded or
 * copied).
 */
package io.hlskit.core.linear;
