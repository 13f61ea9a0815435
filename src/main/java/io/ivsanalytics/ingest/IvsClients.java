package io.ivsanalytics.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;

/**
 * One shared {@link IvsClient} per JVM, region and client settings, created on first use on the
 * executor (clients are never serialized). Every client captures the raw response body of the
 * current call on the calling thread (the sync client runs its pipeline there), so the raw
 * archive keeps exactly the bytes IVS sent.
 */
public final class IvsClients {
  private static final Logger LOG = LoggerFactory.getLogger(IvsClients.class);
  private static final Map<Key, IvsClient> CLIENTS = new ConcurrentHashMap<>();
  private static final ThreadLocal<byte[]> LAST_BODY = new ThreadLocal<>();
  private static volatile AwsCredentialsProvider credentials;

  private record Key(ClientSettings settings, String region) {}

  public static IvsClient get(ClientSettings settings, String region) {
    return CLIENTS.computeIfAbsent(new Key(settings, region), IvsClients::build);
  }

  /** Forgets the body captured on this thread; call before each request. */
  public static void clearBody() {
    LAST_BODY.remove();
  }

  /** The body of the last response received on this thread, or null. */
  public static byte[] takeBody() {
    byte[] b = LAST_BODY.get();
    LAST_BODY.remove();
    return b;
  }

  private static IvsClient build(Key key) {
    ClientSettings s = key.settings();
    var builder =
        IvsClient.builder()
            .region(Region.of(key.region()))
            .credentialsProvider(credentials(s.endpoint()))
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(s.maxConnections())
                    .connectionTimeout(Duration.ofMillis(Math.min(s.attemptTimeoutMillis(), 10_000))))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMillis(s.callTimeoutMillis()))
                        .apiCallAttemptTimeout(Duration.ofMillis(s.attemptTimeoutMillis()))
                        .addExecutionInterceptor(new AttemptHeader())
                        .addExecutionInterceptor(new BodyCapture()));
    if (s.endpoint() != null) {
      builder.endpointOverride(URI.create(s.endpoint()));
    }
    LOG.info("IVS client for {} (endpoint {})", key.region(), s.endpoint() == null ? "AWS" : s.endpoint());
    return builder.build();
  }

  /**
   * The default AWS credentials chain. With an endpoint override (a simulator or a local
   * test double) and no credentials configured, static placeholder credentials are used.
   */
  private static synchronized AwsCredentialsProvider credentials(String endpoint) {
    if (credentials == null) {
      AwsCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
      if (endpoint != null) {
        try {
          chain.resolveCredentials();
        } catch (RuntimeException e) {
          LOG.info("no AWS credentials found; using placeholder credentials for endpoint {}", endpoint);
          chain = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
      }
      credentials = chain;
    }
    return credentials;
  }

  /** Reports the job's own attempt number (SDK retries are off, so the SDK always says 1). */
  static final class AttemptHeader implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      int[] a = RetryingCaller.currentAttempt();
      return context.httpRequest().toBuilder()
          .putHeader("amz-sdk-request", "attempt=" + a[0] + "; max=" + a[1])
          .build();
    }
  }

  /** Keeps the response body bytes for the calling thread and hands the SDK a fresh stream. */
  static final class BodyCapture implements ExecutionInterceptor {
    @Override
    public Optional<InputStream> modifyHttpResponseContent(
        Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
      Optional<InputStream> body = context.responseBody();
      if (body.isEmpty()) {
        return body;
      }
      try (InputStream in = body.get()) {
        byte[] bytes = in.readAllBytes();
        LAST_BODY.set(bytes);
        return Optional.of(new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private IvsClients() {}
}
