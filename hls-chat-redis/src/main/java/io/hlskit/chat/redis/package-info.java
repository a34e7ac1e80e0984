/**
 * Chat across server instances on Redis (Lettuce): {@link io.hlskit.chat.redis.RedisChatBroker}
 * fans messages out over one pub/sub subscription per instance, keeps each room's last 100
 * messages in a capped stream and counts presence over every live instance; {@link
 * io.hlskit.chat.redis.RedisChannelNotices} tells the other instances' catalogs when a channel
 * is published or removed; {@link io.hlskit.chat.redis.RedisIngestService} queues upload jobs in
 * a Redis stream that any instance or worker process works, with heartbeats, retries and cancel.
 */
package io.hlskit.chat.redis;
