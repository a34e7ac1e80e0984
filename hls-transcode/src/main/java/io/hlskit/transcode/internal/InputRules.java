package io.hlskit.transcode.internal;

/**
 * What an input must be to be opened: read by one of {@code formats} (libav demuxer names,
 * comma-separated, as its {@code format_whitelist} takes them) from a local file, and no longer
 * than {@code maxDurationMicros} by its header.
 */
public record InputRules(String formats, long maxDurationMicros) {}
