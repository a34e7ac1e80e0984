package io.hlskit.storage.s3.testing;

import io.hlskit.storage.s3.S3MediaStore;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 HTTP server for tests: S3Proxy in this JVM on a free loopback port, over an in-memory
 * blob store, with AWS signature checks on. When {@code HLS_S3_ENDPOINT} is set the tests use
 * that endpoint instead (with {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}), so the
 * same tests run against MinIO or AWS.
 *
 * <p>{@link #stop()} and {@link #start()} take the server away and bring it back on the same
 * port with its objects intact, for fault tests.
 */
public final class S3TestServer implements AutoCloseable {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static S3TestServer shared;

  private final boolean strict;
  private final String accessKey;
  private final String secretKey;
  private final BlobStoreContext context;
  private URI endpoint;
  private S3Proxy proxy;

  private S3TestServer(URI external, String accessKey, String secretKey, boolean strict)
      throws Exception {
    this.strict = strict;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    if (external != null) {
      this.endpoint = external;
      this.context = null;
      return;
    }
    Properties overrides = new Properties();
    this.context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .overrides(overrides).build(BlobStoreContext.class);
    this.endpoint = URI.create("http://127.0.0.1:0");
    start();
  }

  /**
   * A new server of its own (close it), or the external endpoint when one is configured. It
   * accepts the flexible checksum headers that current SDKs send and S3Proxy does not know, as
   * AWS S3 and MinIO do.
   */
  public static S3TestServer create() throws Exception {
    String external = System.getenv("HLS_S3_ENDPOINT");
    if (external != null && !external.isBlank()) {
      return new S3TestServer(URI.create(external), env("AWS_ACCESS_KEY_ID"),
          env("AWS_SECRET_ACCESS_KEY"), false);
    }
    return new S3TestServer(null, "hlskit-access", "hlskit-secret-" + UUID.randomUUID(), false);
  }

  /**
   * A new in-process server that refuses headers it does not implement (S3Proxy's default), like
   * older S3-compatible stores that answer batch deletes with 501.
   */
  public static S3TestServer createStrict() throws Exception {
    return new S3TestServer(null, "hlskit-access", "hlskit-secret-" + UUID.randomUUID(), true);
  }

  /** One server for the whole test JVM, started on first use and never stopped by tests. */
  public static synchronized S3TestServer shared() throws Exception {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null) {
      throw new IllegalStateException(name + " must be set when HLS_S3_ENDPOINT is");
    }
    return v;
  }

  /** Starts (or restarts, on the port it had) the in-process server. */
  public synchronized void start() throws Exception {
    if (context == null || proxy != null) {
      return;
    }
    S3Proxy p = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(!strict).build();
    p.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(p.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + p.getState());
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + p.getPort());
    proxy = p;
  }

  /** Stops the in-process server; its objects stay for {@link #start()}. */
  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  /** The endpoint, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** A client for test set-up, with the settings S3-compatible stores accept. */
  public S3Client client() {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKey, secretKey)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .addPlugin(LegacyMd5Plugin.create())
        .build();
  }

  /** Creates a new, empty bucket with a unique name and returns the name. */
  public String newBucket() {
    String name = "hlskit-test-" + BUCKETS.incrementAndGet() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client s3 = client()) {
      s3.createBucket(r -> r.bucket(name));
    }
    return name;
  }

  /** A store builder for {@code bucket} on this server, path-style, with its credentials. */
  public S3MediaStore.Builder storeBuilder(String bucket) {
    return S3MediaStore.builder().bucket(bucket).endpoint(endpoint).region("us-east-1")
        .pathStyle(true).credentials(accessKey, secretKey);
  }

  @Override
  public synchronized void close() throws Exception {
    stop();
    if (context != null) {
      context.close();
    }
  }
}
