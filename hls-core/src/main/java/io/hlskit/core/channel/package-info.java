/**
 * Channels: {@link io.hlskit.core.channel.ChannelMetadata} (what {@code channel.json} holds),
 * and the {@link io.hlskit.core.channel.ChannelCatalog} SPI that lists channels and tells
 * listeners when they change.
 */
package io.hlskit.core.channel;
