/**
 * A {@code ChatBroker} on Redis (Lettuce): pub/sub fan-out across server instances, capped
 * history, presence. Filled in by the Redis chat issue.
 */
package io.hlskit.chat.redis;
