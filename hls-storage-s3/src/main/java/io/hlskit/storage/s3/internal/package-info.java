/** Implementation details of the S3 store; not part of the API. */
package io.hlskit.storage.s3.internal;
