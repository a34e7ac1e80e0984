package io.hlskit.server.internal;

/**
 * Who is watching and chatting on this instance, for the channel objects of the API ({@code
 * viewers}, {@code chatSessions}); there only when the server records metrics.
 */
public record Audience(Viewers viewers, ChatStats chat) {}
