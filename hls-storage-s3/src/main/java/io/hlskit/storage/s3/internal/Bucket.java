package io.hlskit.storage.s3.internal;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One bucket and key prefix as the store sees it: the client, the errors in the terms of the
 * person running the server, the workers for parallel requests, and the listings and deletes that
 * the store's writes, drafts and scan share. Thread-safe.
 */
public final class Bucket {
  private static final Logger LOG = LoggerFactory.getLogger(Bucket.class);

  /** S3 deletes at most this many keys per request. */
  private static final int DELETE_BATCH = 1000;

  private final S3Client client;
  private final String name;
  private final String prefix;
  private final S3Errors errors;
  private final ExecutorService workers;
  private volatile boolean batchDeletes = true;

  /**
   * A bucket reached through {@code client}.
   *
   * @param prefix {@code ""} or a folder ending with {@code /} that every key is under
   * @param workers the threads that run copies, deletes and reads in parallel
   */
  public Bucket(S3Client client, String name, String prefix, S3Errors errors,
      ExecutorService workers) {
    this.client = client;
    this.name = name;
    this.prefix = prefix;
    this.errors = errors;
    this.workers = workers;
  }

  public S3Client client() {
    return client;
  }

  public String name() {
    return name;
  }

  public String prefix() {
    return prefix;
  }

  public S3Errors errors() {
    return errors;
  }

  public ExecutorService workers() {
    return workers;
  }

  /** The object key of a store key. */
  public String objectKey(String key) {
    return prefix + key;
  }

  /** Every object under an object-key prefix, following continuation tokens. */
  public List<S3Object> listObjects(String objectPrefix, String action) {
    try {
      List<S3Object> all = new ArrayList<>();
      client.listObjectsV2Paginator(r -> r.bucket(name).prefix(objectPrefix)).contents()
          .forEach(all::add);
      return all;
    } catch (SdkException e) {
      throw errors.translate(action, e);
    }
  }

  /** The channel ids that have a folder under the prefix, from one delimited listing. */
  public List<String> channelFolders() {
    try {
      List<String> ids = new ArrayList<>();
      ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(name).prefix(prefix)
          .delimiter("/").build();
      for (CommonPrefix p : client.listObjectsV2Paginator(request).commonPrefixes()) {
        String id = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
        if (StorageKeys.isValidChannelId(id)) {
          ids.add(id);
        }
      }
      return ids;
    } catch (SdkException e) {
      throw errors.translate("listing the channels", e);
    }
  }

  /**
   * Deletes object keys in batches of 1,000, one request per batch; one request per key on a
   * store that does not implement batch deletes (S3Proxy and some older stores refuse the
   * checksum headers that current SDKs send with them).
   */
  public void deleteObjects(List<String> objectKeys, String action) {
    for (int from = 0; from < objectKeys.size(); from += DELETE_BATCH) {
      List<String> batch =
          objectKeys.subList(from, Math.min(objectKeys.size(), from + DELETE_BATCH));
      if (batchDeletes) {
        try {
          deleteBatch(batch, action);
          continue;
        } catch (S3Exception e) {
          if (e.statusCode() != 501) {
            throw errors.translate(action, e);
          }
          batchDeletes = false;
          LOG.warn("the store at bucket '{}' does not implement batch deletes ({}); deleting one"
              + " object per request from now on", name, e.getMessage());
        } catch (SdkException e) {
          throw errors.translate(action, e);
        }
      }
      deleteOneByOne(batch, action);
    }
  }

  /** Deletes object keys, logging instead of throwing when that fails. */
  public void deleteQuietly(List<String> objectKeys) {
    try {
      deleteObjects(objectKeys, "cleaning up");
    } catch (StorageException e) {
      LOG.warn("could not delete {} objects: {}", objectKeys.size(), e.getMessage());
    }
  }

  private void deleteBatch(List<String> keys, String action) {
    List<ObjectIdentifier> ids = new ArrayList<>();
    for (String k : keys) {
      ids.add(ObjectIdentifier.builder().key(k).build());
    }
    DeleteObjectsResponse r =
        client.deleteObjects(d -> d.bucket(name).delete(x -> x.objects(ids).quiet(true)));
    if (r.hasErrors() && !r.errors().isEmpty()) {
      var first = r.errors().get(0);
      throw new StorageException(action + " failed for " + r.errors().size() + " objects in"
          + " bucket '" + name + "', first " + first.key() + ": " + first.code() + " "
          + first.message() + "; check that the credentials may delete objects");
    }
  }

  private void deleteOneByOne(List<String> keys, String action) {
    List<Future<?>> deletes = new ArrayList<>();
    for (String k : keys) {
      deletes.add(workers.submit(() -> {
        try {
          client.deleteObject(d -> d.bucket(name).key(k));
        } catch (SdkException e) {
          throw errors.translate(action, e);
        }
      }));
    }
    awaitAll(deletes, action);
  }

  /** Waits for every task; rethrows the first failure after all have ended. */
  public static void awaitAll(List<? extends Future<?>> tasks, String action) {
    RuntimeException failure = null;
    for (Future<?> f : tasks) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r
              : new StorageException(action + " failed: " + e.getCause(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new StorageException(action + " was interrupted", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** An ETag without quotes or weak marker. */
  public static String unquote(String etag) {
    if (etag == null || etag.isEmpty()) {
      throw new StorageException("the store sent no ETag; hlskit needs an S3-compatible store"
          + " that sends one with every object");
    }
    String e = etag.startsWith("W/") ? etag.substring(2) : etag;
    return e.replace("\"", "");
  }
}
