/** Implementation details of the folder store; not part of the API. */
package io.hlskit.storage.fs.internal;
