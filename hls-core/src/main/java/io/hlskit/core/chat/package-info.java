/**
 * The chat SPI: {@link io.hlskit.core.chat.ChatBroker} rooms with history and presence, and
 * {@link io.hlskit.core.chat.InMemoryChatBroker}, the default for a single process.
 */
package io.hlskit.core.chat;
