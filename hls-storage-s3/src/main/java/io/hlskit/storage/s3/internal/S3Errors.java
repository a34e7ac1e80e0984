package io.hlskit.storage.s3.internal;

import io.hlskit.core.StorageException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the SDK throws into a {@link StorageException} that says what went wrong in the
 * terms of the person running the server: which bucket, which endpoint, and what to check.
 */
public final class S3Errors {
  private final String bucket;
  private final String endpoint;

  /** Errors about {@code bucket} at {@code endpoint} (a URL, or "AWS S3"). */
  public S3Errors(String bucket, String endpoint) {
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /** The exception to throw for {@code e}, raised while {@code action} ("reading x"). */
  public StorageException translate(String action, SdkException e) {
    return new StorageException(action + " failed: " + explain(e), e);
  }

  private String explain(SdkException e) {
    if (e instanceof S3Exception s) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      int status = s.statusCode();
      if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
        return "the bucket '" + bucket + "' does not exist at " + endpoint + "; create it, or"
            + " give the store an existing one (bucket)";
      }
      if (status == 403 || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
        return "the store refused the credentials for bucket '" + bucket + "' at " + endpoint
            + " (" + describe(code, status) + "); check AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY (or the AWS profile or role) and the bucket's policy";
      }
      if (status == 301 || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return "the bucket '" + bucket + "' is in another region (" + describe(code, status)
            + "); give the store the bucket's region (region)";
      }
      if (status == 503 || "SlowDown".equals(code)) {
        return "the store at " + endpoint + " is overloaded or unavailable ("
            + describe(code, status) + ") even after retries; try again later";
      }
      return "the store at " + endpoint + " answered " + describe(code, status) + ": "
          + (s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorMessage());
    }
    if (e instanceof SdkClientException) {
      return "cannot reach the S3 endpoint " + endpoint + " (" + rootCause(e) + "); check the"
          + " endpoint (endpoint) and that the store is running and reachable";
    }
    return e.getMessage();
  }

  private static String describe(String code, int status) {
    return code == null ? "HTTP " + status : "HTTP " + status + " " + code;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
