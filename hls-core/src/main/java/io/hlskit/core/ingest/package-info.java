/**
 * The ingest SPI: how the server hands an upload to whatever transcodes it. {@link
 * io.hlskit.core.ingest.IngestService} takes requests and reports {@link
 * io.hlskit.core.ingest.IngestJob}s; {@link io.hlskit.core.ingest.QueuedIngestService} runs an
 * {@link io.hlskit.core.ingest.Ingester} on worker threads.
 */
package io.hlskit.core.ingest;
