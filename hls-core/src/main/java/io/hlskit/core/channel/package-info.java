/**
 * Channels: {@link io.hlskit.core.channel.ChannelMetadata} (what {@code channel.json} holds),
 * the {@link io.hlskit.core.channel.ChannelCatalog} a store lists its channels through, and
 * {@link io.hlskit.core.channel.ChannelRegistry}, the catalog that store implementations own.
 */
package io.hlskit.core.channel;
