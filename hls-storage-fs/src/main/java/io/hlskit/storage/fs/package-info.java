/**
 * A {@code MediaStore} on a local folder: atomic publish, channel discovery and hot reload.
 * Filled in by the storage issue.
 */
package io.hlskit.storage.fs;
