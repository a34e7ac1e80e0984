/**
 * A thin embeddable Undertow server: HLS streams, the REST API, WebSocket chat and upload.
 * Filled in by the server issue.
 */
package io.hlskit.server;
