package io.ivsanalytics.ingest;

import java.io.Serializable;

/**
 * What an executor needs to build its IVS clients; serializable, unlike the clients. {@code
 * endpoint} is null in production (the SDK resolves the regional endpoint). {@code roles} says
 * which role to assume in each account; it holds no credentials.
 */
public record ClientSettings(
    String endpoint,
    long attemptTimeoutMillis,
    long callTimeoutMillis,
    int maxConnections,
    AccountRoles roles)
    implements Serializable {

  public ClientSettings {
    roles = roles == null ? AccountRoles.NONE : roles;
  }

  public ClientSettings(
      String endpoint, long attemptTimeoutMillis, long callTimeoutMillis, int maxConnections) {
    this(endpoint, attemptTimeoutMillis, callTimeoutMillis, maxConnections, AccountRoles.NONE);
  }

  /**
   * Where STS is: {@code sts.endpoint}, else the IVS endpoint override, else null (regional AWS).
   */
  String stsEndpoint() {
    return roles.stsEndpoint() != null ? roles.stsEndpoint() : endpoint;
  }
}
