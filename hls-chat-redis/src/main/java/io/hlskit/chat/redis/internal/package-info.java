/** Implementation details of the Redis chat; not part of the API. */
package io.hlskit.chat.redis.internal;
