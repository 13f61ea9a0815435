package io.ivsanalytics.ingest;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials of one account through STS AssumeRole, made and refreshed on the executor by the
 * SDK's {@link StsAssumeRoleCredentialsProvider} ({@code refreshSeconds} before they expire, on the
 * calling thread; the others keep using the current ones). A role that cannot be assumed (STS
 * answers 4xx other than throttling) is remembered for {@link #DENIAL_MEMORY}, so the ids of that
 * account fail at once with {@link RoleUnavailableException} instead of asking STS once per id, and
 * is logged once per JVM. Nothing here logs or keeps the credentials themselves.
 */
final class RoleCredentials implements AwsCredentialsProvider, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoleCredentials.class);
  static final Duration DENIAL_MEMORY = Duration.ofMinutes(5);
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  /** Why the role of an account gave no credentials; CallFailure turns it into an error row. */
  static final class RoleUnavailableException extends RuntimeException {
    final String account;
    final String code;
    final Integer httpStatus;
    final boolean retryable;

    RoleUnavailableException(
        String account, String message, String code, Integer httpStatus, boolean retryable) {
      super(message, null, false, false);
      this.account = account;
      this.code = code;
      this.httpStatus = httpStatus;
      this.retryable = retryable;
    }
  }

  private final String account;
  private final String roleArn;
  private final StsAssumeRoleCredentialsProvider provider;
  private volatile RoleUnavailableException denied;
  private volatile long deniedUntilNanos;

  RoleCredentials(String account, String roleArn, StsClient sts, AccountRoles roles) {
    this.account = account;
    this.roleArn = roleArn;
    Duration prefetch = Duration.ofSeconds(roles.refreshSeconds());
    Duration stale = Duration.ofMillis(Math.max(1, Math.min(60_000, prefetch.toMillis() / 5)));
    this.provider =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts)
            .refreshRequest(
                r -> {
                  r.roleArn(roleArn).roleSessionName(roles.sessionName());
                  if (roles.externalId() != null) {
                    r.externalId(roles.externalId());
                  }
                })
            .prefetchTime(prefetch)
            .staleTime(stale)
            .asyncCredentialUpdateEnabled(false)
            .build();
  }

  @Override
  public AwsCredentials resolveCredentials() {
    RoleUnavailableException d = denied;
    if (d != null && System.nanoTime() - deniedUntilNanos < 0) {
      throw d;
    }
    try {
      return provider.resolveCredentials();
    } catch (AwsServiceException e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
      String stsMessage =
          e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
              ? e.awsErrorDetails().errorMessage()
              : e.getMessage();
      boolean transientFailure = status >= 500 || status == 429 || e.isThrottlingException();
      String message =
          String.format(
              Locale.ROOT,
              "cannot assume role %s for account %s: STS %s (HTTP %d): %s",
              roleArn,
              account,
              code,
              status,
              CallFailure.clean(stsMessage));
      if (transientFailure) {
        throw new RoleUnavailableException(
            account, message, code == null ? "STSError" : code, status, true);
      }
      RoleUnavailableException ex =
          new RoleUnavailableException(
              account, message, "AccessDeniedException", status > 0 ? status : 403, false);
      denied = ex;
      deniedUntilNanos = System.nanoTime() + DENIAL_MEMORY.toNanos();
      if (REPORTED.add(roleArn + "|" + message)) {
        LOG.error("{}; every id of account {} becomes a fetch_errors row", message, account);
      }
      throw ex;
    } catch (SdkException e) {
      String message =
          String.format(
              Locale.ROOT,
              "cannot assume role %s for account %s: %s",
              roleArn,
              account,
              CallFailure.clean(e.getMessage()));
      throw new RoleUnavailableException(account, message, CallFailure.CONNECTION, null, true);
    }
  }

  @Override
  public void close() {
    provider.close();
  }
}
