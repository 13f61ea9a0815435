package io.ivsanalytics.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live knobs of an {@link IvsSimulator}: the request quota, the fault rates, latency and slow
 * answers, the forbidden ids, and who may call (access key accounts, denied roles, STS credential
 * lifetime, the role's ExternalId). Every setter is safe to call from any thread while the server
 * runs and takes effect on the next request. Defaults: 5 TPS, no latency, no faults, slow answers
 * of 10 s.
 */
public final class SimulatorKnobs {
  private volatile double tps = 5;
  private volatile long latencyMs;
  private volatile long latencyJitterMs;
  private volatile double throttleRate;
  private volatile double serverErrorRate;
  private volatile double slowRate;
  private volatile long slowMs = 10_000;
  private volatile double resetRate;
  private volatile double malformedRate;
  private final Set<String> forbiddenIds = ConcurrentHashMap.newKeySet();
  private final Map<String, String> accessKeyAccounts = new ConcurrentHashMap<>();
  private final Set<String> deniedRoles = ConcurrentHashMap.newKeySet();
  private volatile long stsDurationSeconds;
  private volatile String roleExternalId;

  /** A copy with the same values (its sets and map are copies too). */
  SimulatorKnobs copy() {
    SimulatorKnobs c = new SimulatorKnobs();
    c.tps = tps;
    c.latencyMs = latencyMs;
    c.latencyJitterMs = latencyJitterMs;
    c.throttleRate = throttleRate;
    c.serverErrorRate = serverErrorRate;
    c.slowRate = slowRate;
    c.slowMs = slowMs;
    c.resetRate = resetRate;
    c.malformedRate = malformedRate;
    c.forbiddenIds.addAll(forbiddenIds);
    c.accessKeyAccounts.putAll(accessKeyAccounts);
    c.deniedRoles.addAll(deniedRoles);
    c.stsDurationSeconds = stsDurationSeconds;
    c.roleExternalId = roleExternalId;
    return c;
  }

  /** Requests per second per (account, region, operation); bucket capacity = one second's worth. */
  public double tps() {
    return tps;
  }

  public SimulatorKnobs tps(double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException("tps must be > 0: " + value);
    }
    this.tps = value;
    return this;
  }

  public long latencyMs() {
    return latencyMs;
  }

  /** Fixed delay added to every answer. */
  public SimulatorKnobs latencyMs(long value) {
    this.latencyMs = nonNegative("latencyMs", value);
    return this;
  }

  public long latencyJitterMs() {
    return latencyJitterMs;
  }

  /** Extra delay, uniform in [0, value], added to every answer. */
  public SimulatorKnobs latencyJitterMs(long value) {
    this.latencyJitterMs = nonNegative("latencyJitterMs", value);
    return this;
  }

  public double throttleRate() {
    return throttleRate;
  }

  /**
   * Share of requests answered 429 ThrottlingException whatever the quota (on top of the token
   * bucket), as when other clients of the same account use up its quota.
   */
  public SimulatorKnobs throttleRate(double p) {
    this.throttleRate = probability("throttleRate", p);
    return this;
  }

  public double serverErrorRate() {
    return serverErrorRate;
  }

  /** Share of requests answered 500 InternalServerException. */
  public SimulatorKnobs serverErrorRate(double p) {
    this.serverErrorRate = probability("serverErrorRate", p);
    return this;
  }

  public double slowRate() {
    return slowRate;
  }

  /** Share of requests answered only after {@link #slowMs()} (to trip client attempt timeouts). */
  public SimulatorKnobs slowRate(double p) {
    this.slowRate = probability("slowRate", p);
    return this;
  }

  public long slowMs() {
    return slowMs;
  }

  public SimulatorKnobs slowMs(long value) {
    this.slowMs = nonNegative("slowMs", value);
    return this;
  }

  public double resetRate() {
    return resetRate;
  }

  /** Share of requests whose connection is closed without any response. */
  public SimulatorKnobs resetRate(double p) {
    this.resetRate = probability("resetRate", p);
    return this;
  }

  public double malformedRate() {
    return malformedRate;
  }

  /** Share of requests answered 200 with a truncated JSON body. */
  public SimulatorKnobs malformedRate(double p) {
    this.malformedRate = probability("malformedRate", p);
    return this;
  }

  /** Channel ARNs and stream ids answered 403 AccessDeniedException (live, mutable set). */
  public Set<String> forbiddenIds() {
    return forbiddenIds;
  }

  /**
   * Access key id to account id, for requests without an ARN in the body (ListChannels,
   * BatchGetChannel). Live, mutable map; see {@link IvsSimulator} for the full rule.
   */
  public Map<String, String> accessKeyAccounts() {
    return accessKeyAccounts;
  }

  /**
   * Role ARNs and 12-digit account ids whose STS AssumeRole answers 403 AccessDenied (live, mutable
   * set). Roles of accounts the simulator does not serve are always denied.
   */
  public Set<String> deniedRoles() {
    return deniedRoles;
  }

  public long stsDurationSeconds() {
    return stsDurationSeconds;
  }

  /**
   * Lifetime of credentials from AssumeRole, in seconds, when shorter than the DurationSeconds
   * asked for (0 = as asked, default 3600), so that expiry and refresh can be seen in a short run.
   */
  public SimulatorKnobs stsDurationSeconds(long value) {
    this.stsDurationSeconds = nonNegative("stsDurationSeconds", value);
    return this;
  }

  public String roleExternalId() {
    return roleExternalId;
  }

  /**
   * When set, AssumeRole without this ExternalId answers AccessDenied (a trust policy condition).
   */
  public SimulatorKnobs roleExternalId(String value) {
    this.roleExternalId = value == null || value.isEmpty() ? null : value;
    return this;
  }

  private static double probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [0, 1]: %s", name, p));
    }
    return p;
  }

  private static long nonNegative(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be >= 0: %d", name, v));
    }
    return v;
  }
}
