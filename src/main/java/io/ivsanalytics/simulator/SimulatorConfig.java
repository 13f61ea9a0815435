package io.ivsanalytics.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Settings of an {@link IvsSimulator}: the fleet it generates (fixed at build time) and the
 * quota and fault knobs (changeable while the server runs; every setter is safe to call from
 * any thread and takes effect on the next request).
 *
 * <pre>{@code
 * SimulatorConfig cfg = SimulatorConfig.builder()
 *     .seed(7).accounts("111122223333").regions("us-west-2")
 *     .channelsPerAccountRegion(4).days(3).sessionsPerChannelPerDay(2)
 *     .anchor(Instant.parse("2024-05-06T00:00:00Z"))
 *     .tps(5).serverErrorRate(0.05)
 *     .build();
 * }</pre>
 *
 * <p>Fault probabilities are in [0, 1]. Which request gets a fault is decided by a hash of the
 * seed, the operation, the resource named in the body and the attempt number the client sends
 * ({@code amz-sdk-request: attempt=N}), so the same client run sees the same faults.
 */
public final class SimulatorConfig {
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  private final long seed;
  private final List<String> accounts;
  private final List<String> regions;
  private final int channelsPerAccountRegion;
  private final int days;
  private final double sessionsPerChannelPerDay;
  private final Instant anchor;
  private final int port;

  private volatile double tps;
  private volatile long latencyMs;
  private volatile long latencyJitterMs;
  private volatile double throttleRate;
  private volatile double serverErrorRate;
  private volatile double slowRate;
  private volatile long slowMs;
  private volatile double resetRate;
  private volatile double malformedRate;
  private final Set<String> forbiddenIds = ConcurrentHashMap.newKeySet();
  private final Map<String, String> accessKeyAccounts = new ConcurrentHashMap<>();
  private final Set<String> deniedRoles = ConcurrentHashMap.newKeySet();
  private volatile long stsDurationSeconds;
  private volatile String roleExternalId;

  private SimulatorConfig(Builder b) {
    this.seed = b.seed;
    this.accounts = List.copyOf(b.accounts);
    this.regions = List.copyOf(b.regions);
    this.channelsPerAccountRegion = b.channelsPerAccountRegion;
    this.days = b.days;
    this.sessionsPerChannelPerDay = b.sessionsPerChannelPerDay;
    this.anchor = b.anchor != null ? b.anchor : Instant.now().truncatedTo(ChronoUnit.HOURS);
    this.port = b.port;
    tps(b.tps);
    latencyMs(b.latencyMs);
    latencyJitterMs(b.latencyJitterMs);
    throttleRate(b.throttleRate);
    serverErrorRate(b.serverErrorRate);
    slowRate(b.slowRate);
    slowMs(b.slowMs);
    resetRate(b.resetRate);
    malformedRate(b.malformedRate);
    forbiddenIds.addAll(b.forbiddenIds);
    accessKeyAccounts.putAll(b.accessKeyAccounts);
    deniedRoles.addAll(b.deniedRoles);
    stsDurationSeconds(b.stsDurationSeconds);
    roleExternalId(b.roleExternalId);
  }

  public static Builder builder() {
    return new Builder();
  }

  public long seed() {
    return seed;
  }

  public List<String> accounts() {
    return accounts;
  }

  public List<String> regions() {
    return regions;
  }

  public int channelsPerAccountRegion() {
    return channelsPerAccountRegion;
  }

  public int days() {
    return days;
  }

  public double sessionsPerChannelPerDay() {
    return sessionsPerChannelPerDay;
  }

  /** End of the generated history; live sessions are live at this instant. */
  public Instant anchor() {
    return anchor;
  }

  /** Requested port; 0 = ephemeral. */
  public int port() {
    return port;
  }

  /** Requests per second per (account, region, operation); bucket capacity = one second's worth. */
  public double tps() {
    return tps;
  }

  public SimulatorConfig tps(double value) {
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
  public SimulatorConfig latencyMs(long value) {
    this.latencyMs = nonNegative("latencyMs", value);
    return this;
  }

  public long latencyJitterMs() {
    return latencyJitterMs;
  }

  /** Extra delay, uniform in [0, value], added to every answer. */
  public SimulatorConfig latencyJitterMs(long value) {
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
  public SimulatorConfig throttleRate(double p) {
    this.throttleRate = probability("throttleRate", p);
    return this;
  }

  public double serverErrorRate() {
    return serverErrorRate;
  }

  /** Share of requests answered 500 InternalServerException. */
  public SimulatorConfig serverErrorRate(double p) {
    this.serverErrorRate = probability("serverErrorRate", p);
    return this;
  }

  public double slowRate() {
    return slowRate;
  }

  /** Share of requests answered only after {@link #slowMs()} (to trip client attempt timeouts). */
  public SimulatorConfig slowRate(double p) {
    this.slowRate = probability("slowRate", p);
    return this;
  }

  public long slowMs() {
    return slowMs;
  }

  public SimulatorConfig slowMs(long value) {
    this.slowMs = nonNegative("slowMs", value);
    return this;
  }

  public double resetRate() {
    return resetRate;
  }

  /** Share of requests whose connection is closed without any response. */
  public SimulatorConfig resetRate(double p) {
    this.resetRate = probability("resetRate", p);
    return this;
  }

  public double malformedRate() {
    return malformedRate;
  }

  /** Share of requests answered 200 with a truncated JSON body. */
  public SimulatorConfig malformedRate(double p) {
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
   * Role ARNs and 12-digit account ids whose STS AssumeRole answers 403 AccessDenied (live,
   * mutable set). Roles of accounts the simulator does not serve are always denied.
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
  public SimulatorConfig stsDurationSeconds(long value) {
    this.stsDurationSeconds = nonNegative("stsDurationSeconds", value);
    return this;
  }

  public String roleExternalId() {
    return roleExternalId;
  }

  /** When set, AssumeRole without this ExternalId answers AccessDenied (a trust policy condition). */
  public SimulatorConfig roleExternalId(String value) {
    this.roleExternalId = value == null || value.isEmpty() ? null : value;
    return this;
  }

  private static double probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be in [0, 1]: %s", name, p));
    }
    return p;
  }

  private static long nonNegative(String name, long v) {
    if (v < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be >= 0: %d", name, v));
    }
    return v;
  }

  /** Builder; defaults: seed 1, account 123456789012, us-west-2, 5 channels, 7 days, 3 sessions/day. */
  public static final class Builder {
    private long seed = 1;
    private List<String> accounts = List.of("123456789012");
    private List<String> regions = List.of("us-west-2");
    private int channelsPerAccountRegion = 5;
    private int days = 7;
    private double sessionsPerChannelPerDay = 3;
    private Instant anchor;
    private int port;
    private final List<String> deniedRoles = new ArrayList<>();
    private long stsDurationSeconds;
    private String roleExternalId;
    private double tps = 5;
    private long latencyMs;
    private long latencyJitterMs;
    private double throttleRate;
    private double serverErrorRate;
    private double slowRate;
    private long slowMs = 10_000;
    private double resetRate;
    private double malformedRate;
    private final List<String> forbiddenIds = new ArrayList<>();
    private final Map<String, String> accessKeyAccounts = new LinkedHashMap<>();

    private Builder() {}

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder accounts(String... v) {
      return accounts(List.of(v));
    }

    public Builder accounts(List<String> v) {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("at least one account is needed");
      }
      for (String a : v) {
        if (!ACCOUNT.matcher(a).matches()) {
          throw new IllegalArgumentException("account id must be 12 digits: '" + a + "'");
        }
      }
      accounts = List.copyOf(v);
      return this;
    }

    public Builder regions(String... v) {
      return regions(List.of(v));
    }

    public Builder regions(List<String> v) {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("at least one region is needed");
      }
      for (String r : v) {
        if (!REGION.matcher(r).matches()) {
          throw new IllegalArgumentException("not an AWS region name: '" + r + "'");
        }
      }
      regions = List.copyOf(v);
      return this;
    }

    public Builder channelsPerAccountRegion(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("channelsPerAccountRegion must be >= 0: " + v);
      }
      channelsPerAccountRegion = v;
      return this;
    }

    public Builder days(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("days must be >= 1: " + v);
      }
      days = v;
      return this;
    }

    public Builder sessionsPerChannelPerDay(double v) {
      if (!(v > 0)) {
        throw new IllegalArgumentException("sessionsPerChannelPerDay must be > 0: " + v);
      }
      sessionsPerChannelPerDay = v;
      return this;
    }

    /** End of the history (default: now, truncated to the hour). */
    public Builder anchor(Instant v) {
      anchor = v;
      return this;
    }

    public Builder port(int v) {
      if (v < 0 || v > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + v);
      }
      port = v;
      return this;
    }

    public Builder deniedRoles(Collection<String> v) {
      deniedRoles.addAll(v);
      return this;
    }

    public Builder stsDurationSeconds(long v) {
      stsDurationSeconds = v;
      return this;
    }

    public Builder roleExternalId(String v) {
      roleExternalId = v;
      return this;
    }

    public Builder tps(double v) {
      tps = v;
      return this;
    }

    public Builder latencyMs(long v) {
      latencyMs = v;
      return this;
    }

    public Builder latencyJitterMs(long v) {
      latencyJitterMs = v;
      return this;
    }

    public Builder throttleRate(double v) {
      throttleRate = v;
      return this;
    }

    public Builder serverErrorRate(double v) {
      serverErrorRate = v;
      return this;
    }

    public Builder slowRate(double v) {
      slowRate = v;
      return this;
    }

    public Builder slowMs(long v) {
      slowMs = v;
      return this;
    }

    public Builder resetRate(double v) {
      resetRate = v;
      return this;
    }

    public Builder malformedRate(double v) {
      malformedRate = v;
      return this;
    }

    public Builder forbiddenIds(Collection<String> v) {
      forbiddenIds.addAll(v);
      return this;
    }

    public Builder accessKeyAccount(String accessKeyId, String accountId) {
      accessKeyAccounts.put(accessKeyId, accountId);
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(this);
    }
  }
}
