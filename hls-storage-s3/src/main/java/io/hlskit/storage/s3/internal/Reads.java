package io.hlskit.storage.s3.internal;

import io.hlskit.core.StorageException;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.core.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads objects from a bucket: a HEAD to open one, then GETs pinned to the ETag it saw ({@code
 * If-Match}), so that a replaced object fails the read instead of mixing two versions; or one
 * GET for a whole read. Keys are checked by the caller. Thread-safe.
 *
 * <p>A key found missing is remembered as missing for a short while (a negative cache), so that
 * requests for names that are not there (scanners, broken players) cost the bucket one request
 * per name and interval, not one each, and cannot draw {@code SlowDown} for real viewers. The
 * store forgets a miss when it writes the key or publishes its channel; a key another instance
 * writes is seen once the interval is over.
 */
public final class Reads {
  private static final Logger LOG = LoggerFactory.getLogger(Reads.class);

  /** The most misses remembered; past it, the memory starts over. */
  private static final int MAX_MISSES = 10_000;

  private final Bucket bucket;
  private final long missNanos;
  private final ConcurrentHashMap<String, Long> misses = new ConcurrentHashMap<>();

  /**
   * Reads from {@code bucket}.
   *
   * @param missTtl how long a miss is remembered; zero to ask the bucket every time
   */
  public Reads(Bucket bucket, Duration missTtl) {
    this.bucket = bucket;
    this.missNanos = missTtl.toNanos();
  }

  private boolean knownMissing(String key) {
    Long until = misses.get(key);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until < 0) {
      return true;
    }
    misses.remove(key, until);
    return false;
  }

  private <T> Optional<T> missing(String key) {
    if (missNanos > 0) {
      if (misses.size() >= MAX_MISSES) {
        misses.clear();
      }
      misses.put(key, System.nanoTime() + missNanos);
    }
    return Optional.empty();
  }

  /** The store wrote {@code key}: it is there now. */
  public void forget(String key) {
    misses.remove(key);
  }

  /** The store published or deleted what lies under {@code keyPrefix}. */
  public void forgetPrefix(String keyPrefix) {
    misses.keySet().removeIf(k -> k.startsWith(keyPrefix));
  }

  /** The object at {@code key}, from a HEAD, or empty when there is none. */
  public Optional<StoredObject> open(String key) {
    if (knownMissing(key)) {
      return Optional.empty();
    }
    String objectKey = bucket.objectKey(key);
    HeadObjectResponse head;
    try {
      head = bucket.client().headObject(r -> r.bucket(bucket.name()).key(objectKey));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return missing(key);
      }
      throw bucket.errors().translate("reading " + key, e);
    } catch (SdkException e) {
      throw bucket.errors().translate("reading " + key, e);
    }
    ObjectInfo info = Uploads.info(key, head.contentLength(), head.eTag(), head.lastModified());
    return Optional.of(new Remote(info, objectKey));
  }

  /** One GET: the response's headers give the info, its body is the content. */
  public Optional<ObjectStream> read(String key) {
    if (knownMissing(key)) {
      return Optional.empty();
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = bucket.client().getObject(r -> r.bucket(bucket.name()).key(bucket.objectKey(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return missing(key);
      }
      throw bucket.errors().translate("reading " + key, e);
    } catch (SdkException e) {
      throw bucket.errors().translate("reading " + key, e);
    }
    GetObjectResponse r = in.response();
    ObjectInfo info = Uploads.info(key, r.contentLength(), r.eTag(), r.lastModified());
    AbortingInputStream body = new AbortingInputStream(in, info.length());
    return Optional.of(new ObjectStream() {
      @Override
      public ObjectInfo info() {
        return info;
      }

      @Override
      public InputStream content() {
        return body;
      }

      @Override
      public void close() {
        try {
          body.close();
        } catch (IOException e) {
          LOG.debug("closing {} failed: {}", key, e.toString());
        }
      }
    });
  }

  /** An object in the bucket; every read is a GET pinned to the ETag seen when opened. */
  private final class Remote implements StoredObject {
    private final ObjectInfo info;
    private final String objectKey;

    Remote(ObjectInfo info, String objectKey) {
      this.info = info;
      this.objectKey = objectKey;
    }

    @Override
    public ObjectInfo info() {
      return info;
    }

    @Override
    public InputStream stream() {
      return get(null, info.length());
    }

    @Override
    public InputStream stream(long offset, long length) {
      if (offset < 0 || length < 0 || offset + length > info.length()) {
        throw new IllegalArgumentException("range " + offset + "+" + length + " is outside "
            + info.key() + " (" + info.length() + " bytes)");
      }
      if (length == 0) {
        return InputStream.nullInputStream();
      }
      return get("bytes=" + offset + "-" + (offset + length - 1), length);
    }

    private InputStream get(String range, long length) {
      GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket.name()).key(objectKey)
          .ifMatch('"' + info.etag() + '"');
      if (range != null) {
        request.range(range);
      }
      try {
        ResponseInputStream<GetObjectResponse> in = bucket.client().getObject(request.build());
        return new AbortingInputStream(in, length);
      } catch (S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 404) {
          throw new StorageException(info.key() + " changed or was removed since it was opened;"
              + " open it again", e);
        }
        throw bucket.errors().translate("reading " + info.key(), e);
      } catch (SdkException e) {
        throw bucket.errors().translate("reading " + info.key(), e);
      }
    }
  }
}
