/**
 * Who may upload, delete, watch and chat: the {@link io.hlskit.core.access.AccessPolicy} SPI that
 * a server asks before each of these, with the requests it sees as {@link
 * io.hlskit.core.access.AccessRequest}s. {@link io.hlskit.core.access.AccessPolicy#adminToken}
 * (open reading, writes with one bearer token) is the default; {@link
 * io.hlskit.core.access.AccessPolicy#readOnly} refuses every write.
 */
package io.hlskit.core.access;
