/**
 * The storage SPI: {@link io.hlskit.core.store.MediaStore} holds channels as objects by key,
 * {@link io.hlskit.core.store.ChannelDraft} publishes a channel atomically, {@link
 * io.hlskit.core.StorageKeys} says which keys and channel ids are valid, and {@link
 * io.hlskit.core.store.InMemoryMediaStore} is the in-memory backend for tests and small embeddings.
 */
package io.hlskit.core.store;
