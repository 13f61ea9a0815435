package io.ivsanalytics.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ivs.IvsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One shared {@link IvsClient} per JVM, client settings, account and region, created on first use
 * on the executor (clients and credentials are never serialized). An account with a role in {@link
 * AccountRoles} is called with credentials from STS AssumeRole, made here on the executor ({@link
 * RoleCredentials}); other accounts with the base credentials (the default chain). STS is called in
 * the region of the IVS call (its regional endpoint), or at the endpoint override. Every client
 * captures the raw response body of the current call on the calling thread (the sync client runs
 * its pipeline there), so the raw archive keeps exactly the bytes IVS sent.
 */
public final class IvsClients {
  private static final Logger LOG = LoggerFactory.getLogger(IvsClients.class);
  private static final Map<Key, IvsClient> CLIENTS = new ConcurrentHashMap<>();
  private static final ThreadLocal<byte[]> LAST_BODY = new ThreadLocal<>();
  private static volatile AwsCredentialsProvider credentials;

  private static final Map<Key, StsClient> STS = new ConcurrentHashMap<>();

  /** {@code account} is null for the base credentials. */
  private record Key(ClientSettings settings, String account, String region) {}

  /** A client with the base credentials (the default chain), whatever the account. */
  public static IvsClient get(ClientSettings settings, String region) {
    return CLIENTS.computeIfAbsent(new Key(settings, null, region), IvsClients::build);
  }

  /** A client for the resources of {@code account}: through its role when it has one. */
  public static IvsClient forAccount(ClientSettings settings, String account, String region) {
    String key = settings.roles().roleFor(account) == null ? null : account;
    return CLIENTS.computeIfAbsent(new Key(settings, key, region), IvsClients::build);
  }

  /** {@link #forAccount} for an {@code account/region} group key. */
  static IvsClient forAccountRegion(ClientSettings settings, String accountRegion) {
    int slash = accountRegion.indexOf('/');
    return forAccount(
        settings, accountRegion.substring(0, slash), accountRegion.substring(slash + 1));
  }

  /**
   * Builds the client of {@code accountRegion} and resolves its credentials (assuming the account's
   * role), so that a worker's first call does not spend its rate-limiter slot on that. A failure is
   * left for the first call to report, as an error of each id.
   */
  static void warmUp(ClientSettings settings, String accountRegion) {
    IvsClient client;
    try {
      client = forAccountRegion(settings, accountRegion);
      client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
    } catch (RuntimeException e) {
      LOG.debug("warm-up of the {} client: {}", accountRegion, e.toString());
      return;
    }
    // One request through the whole pipeline (marshalling, signing) that stops before it is sent:
    // the classes a first call loads are loaded now, not inside the worker's first paced call.
    // Once per client: the fan-out's warm-up job does it, a worker's own warm-up finds it done.
    if (!PIPELINE_WARM.add(client)) {
      return;
    }
    String[] ar = accountRegion.split("/", 2);
    try {
      client.getStreamSession(
          r ->
              r.channelArn("arn:aws:ivs:" + ar[1] + ":" + ar[0] + ":channel/warmUp00000")
                  .streamId("st-warmUp")
                  .overrideConfiguration(o -> o.putExecutionAttribute(NOT_SENT, Boolean.TRUE)));
    } catch (RuntimeException e) {
      boolean stopped = false;
      for (Throwable c = e; c != null && !stopped; c = c.getCause()) {
        stopped = c instanceof NotSent;
      }
      if (!stopped) {
        LOG.debug("warm-up request of the {} client: {}", accountRegion, e.toString());
      }
    }
  }

  /** Clients whose request pipeline has run once ({@link #warmUp}). */
  private static final Set<IvsClient> PIPELINE_WARM = ConcurrentHashMap.newKeySet();

  /** Marks a request that runs through the client's pipeline but is never sent. */
  static final ExecutionAttribute<Boolean> NOT_SENT =
      new ExecutionAttribute<>("ivs-analytics.not-sent");

  /** Stops a request marked {@link #NOT_SENT} right before it would be transmitted. */
  static final class StopUnsent implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      if (Boolean.TRUE.equals(attributes.getAttribute(NOT_SENT))) {
        throw new NotSent();
      }
    }
  }

  static final class NotSent extends RuntimeException {
    NotSent() {
      super("warm-up request, not sent", null, false, false);
    }
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
            .credentialsProvider(
                key.account() == null ? credentials(s.endpoint()) : roleCredentials(key))
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(s.maxConnections())
                    .connectionTimeout(
                        Duration.ofMillis(Math.min(s.attemptTimeoutMillis(), 10_000))))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMillis(s.callTimeoutMillis()))
                        .apiCallAttemptTimeout(Duration.ofMillis(s.attemptTimeoutMillis()))
                        .addExecutionInterceptor(new StopUnsent())
                        .addExecutionInterceptor(new BodyCapture()));
    if (s.endpoint() != null) {
      builder.endpointOverride(URI.create(s.endpoint()));
    }
    LOG.info(
        "IVS client for {}{} (endpoint {})",
        key.region(),
        key.account() == null
            ? ""
            : ", account " + key.account() + " through role " + s.roles().roleFor(key.account()),
        s.endpoint() == null ? "AWS" : s.endpoint());
    return builder.build();
  }

  private static AwsCredentialsProvider roleCredentials(Key key) {
    ClientSettings s = key.settings();
    StsClient sts =
        STS.computeIfAbsent(
            new Key(s, null, key.region()),
            k -> {
              var b =
                  StsClient.builder()
                      .region(Region.of(k.region()))
                      .credentialsProvider(credentials(s.stsEndpoint()))
                      .httpClientBuilder(
                          ApacheHttpClient.builder()
                              .maxConnections(8)
                              .connectionTimeout(
                                  Duration.ofMillis(Math.min(s.attemptTimeoutMillis(), 10_000))))
                      .overrideConfiguration(
                          c ->
                              c.apiCallTimeout(
                                      Duration.ofMillis(Math.min(s.callTimeoutMillis(), 60_000)))
                                  .apiCallAttemptTimeout(
                                      Duration.ofMillis(s.attemptTimeoutMillis())));
              if (s.stsEndpoint() != null) {
                b.endpointOverride(URI.create(s.stsEndpoint()));
              }
              return b.build();
            });
    return new RoleCredentials(key.account(), s.roles().roleFor(key.account()), sts, s.roles());
  }

  /**
   * The default AWS credentials chain. With an endpoint override (a simulator or a local test
   * double) and no credentials configured, static placeholder credentials are used.
   */
  private static synchronized AwsCredentialsProvider credentials(String endpoint) {
    if (credentials == null) {
      AwsCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
      if (endpoint != null) {
        try {
          chain.resolveCredentials();
        } catch (RuntimeException e) {
          LOG.info(
              "no AWS credentials found; using placeholder credentials for endpoint {}", endpoint);
          chain = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
      }
      credentials = chain;
    }
    return credentials;
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
        // A reset or timeout while the body streams in: a client failure the retry loop classifies
        // (connection error or timeout) like one before the headers, not an unknown exception.
        throw SdkClientException.builder()
            .message("cannot read the response body: " + e)
            .cause(e)
            .build();
      }
    }
  }

  private IvsClients() {}
}
