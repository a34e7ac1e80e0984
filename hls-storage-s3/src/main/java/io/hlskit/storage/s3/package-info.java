/**
 * Channels in any S3-compatible object store (AWS SDK for Java v2): {@link
 * io.hlskit.storage.s3.S3MediaStore} keeps the objects and lists the channels by scanning the
 * bucket. Several server instances on one bucket is how hlskit scales out.
 */
package io.hlskit.storage.s3;
