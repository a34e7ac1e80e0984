package io.hlskit.storage.s3.internal;

import io.hlskit.core.StorageException;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes objects into a bucket with their {@code Content-Type} and {@code Cache-Control}: one
 * PUT up to the part size, a multipart upload above it, so that a large file never sits whole in
 * the heap. Keys are checked by the caller. Thread-safe.
 */
public final class Uploads {
  private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

  private final Bucket bucket;
  private final int partSize;

  /** Uploads into {@code bucket} in parts of {@code partSize} bytes. */
  public Uploads(Bucket bucket, int partSize) {
    this.bucket = bucket;
    this.partSize = partSize;
  }

  /** Writes bytes in memory: one PUT, or parts when they are larger than a part. */
  public ObjectInfo writeBytes(String key, String objectKey, byte[] content) {
    return content.length <= partSize
        ? put(key, objectKey, body(content, content.length), content.length)
        : write(key, objectKey, new ByteArrayInputStream(content));
  }

  /** Writes a local file: one PUT, or parts when it is larger than a part. */
  public ObjectInfo writeFile(String key, String objectKey, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + " to store it as " + key + ": " + e, e);
    }
    if (size <= partSize) {
      return put(key, objectKey, RequestBody.fromFile(file), size);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return write(key, objectKey, in);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + " to store it as " + key + ": " + e, e);
    }
  }

  /**
   * Uploads a stream of unknown length: one PUT when it fits a part, else a multipart upload.
   * One part-sized buffer at most is all the heap it takes, whatever the length; small objects
   * (playlists) take a small one.
   */
  public ObjectInfo write(String key, String objectKey, InputStream content) {
    byte[] buffer = new byte[Math.min(partSize, 64 * 1024)];
    int n = 0;
    while (true) {
      n += fill(key, content, buffer, n);
      if (n < buffer.length) {
        return put(key, objectKey, body(buffer, n), n); // the stream ended
      }
      if (buffer.length == partSize) {
        return multipart(key, objectKey, buffer, content);
      }
      buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(partSize, 4L * buffer.length));
    }
  }

  /**
   * Reads into {@code buffer} from {@code offset} until it is full or the stream ends; returns
   * the bytes read.
   */
  private static int fill(String key, InputStream content, byte[] buffer, int offset) {
    try {
      int filled = offset;
      for (int r; filled < buffer.length
          && (r = content.read(buffer, filled, buffer.length - filled)) >= 0; ) {
        filled += r;
      }
      return filled - offset;
    } catch (IOException e) {
      throw new StorageException("could not read the content for " + key + ": " + e, e);
    }
  }

  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length);
  }

  /** One PUT of {@code body}, {@code length} bytes long. */
  public ObjectInfo put(String key, String objectKey, RequestBody body, long length) {
    try {
      String etag = bucket.client().putObject(r -> r.bucket(bucket.name()).key(objectKey)
          .contentType(MediaTypes.forKey(key)).cacheControl(MediaTypes.cacheControl(key)),
          body).eTag();
      return info(key, length, etag, Instant.now());
    } catch (SdkException e) {
      throw bucket.errors().translate("writing " + key, e);
    }
  }

  /** Uploads {@code buffer} (full) as part 1, then the rest of {@code content} part by part. */
  private ObjectInfo multipart(String key, String objectKey, byte[] buffer, InputStream content) {
    String uploadId;
    try {
      uploadId = bucket.client().createMultipartUpload(r -> r.bucket(bucket.name()).key(objectKey)
          .contentType(MediaTypes.forKey(key)).cacheControl(MediaTypes.cacheControl(key)))
          .uploadId();
    } catch (SdkException e) {
      throw bucket.errors().translate("starting the multipart upload of " + key, e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long length = 0;
      for (int n = buffer.length; n > 0; n = n < partSize ? 0 : fill(key, content, buffer, 0)) {
        int number = parts.size() + 1;
        int size = n;
        UploadPartResponse r = bucket.client().uploadPart(p -> p.bucket(bucket.name()).key(objectKey)
            .uploadId(uploadId).partNumber(number).contentLength((long) size), body(buffer, n));
        parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
        length += n;
      }
      String etag = bucket.client().completeMultipartUpload(r -> r.bucket(bucket.name()).key(objectKey)
          .uploadId(uploadId).multipartUpload(u -> u.parts(parts))).eTag();
      completed = true;
      return info(key, length, etag, Instant.now());
    } catch (SdkException e) {
      throw bucket.errors().translate("writing " + key + " in parts", e);
    } finally {
      if (!completed) {
        abortQuietly(objectKey, uploadId);
      }
    }
  }

  private void abortQuietly(String objectKey, String uploadId) {
    try {
      bucket.client().abortMultipartUpload(r -> r.bucket(bucket.name()).key(objectKey).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("could not abort the multipart upload of {} (a bucket lifecycle rule for"
          + " incomplete uploads cleans it up): {}", objectKey, e.getMessage());
    }
  }

  /** The info of an object whose ETag the store sent (quoted or not). */
  public static ObjectInfo info(String key, long length, String etag, Instant modified) {
    return new ObjectInfo(key, length, Bucket.unquote(etag), modified, MediaTypes.forKey(key));
  }
}
