/**
 * A {@code MediaStore} on any S3-compatible object store (AWS SDK for Java v2). Filled in by
 * the storage issue.
 */
package io.hlskit.storage.s3;
