package io.ivsanalytics.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;

/**
 * Settings of an {@link IvsSimulator}: the {@link FleetSpec} it generates (immutable), the port it
 * binds and its {@link SimulatorKnobs} (quota, faults, access; changeable while the server runs).
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
 * <p>Fault probabilities are in [0, 1]; which request gets a fault is reproducible, see {@link
 * FaultPlan}.
 */
public final class SimulatorConfig {
  private final FleetSpec fleet;
  private final int port;
  private final SimulatorKnobs knobs;

  private SimulatorConfig(FleetSpec fleet, int port, SimulatorKnobs knobs) {
    this.fleet = fleet;
    this.port = port;
    this.knobs = knobs;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The generated fleet's definition. */
  public FleetSpec fleet() {
    return fleet;
  }

  /** Requested port; 0 = ephemeral. */
  public int port() {
    return port;
  }

  /** The live quota, fault and access knobs. */
  public SimulatorKnobs knobs() {
    return knobs;
  }

  /**
   * Builder of the fleet spec, the port and the initial knobs; defaults: seed 1, account
   * 123456789012, us-west-2, 5 channels, 7 days, 3 sessions/day, anchor now (truncated to the
   * hour), an ephemeral port and the {@link SimulatorKnobs} defaults.
   */
  public static final class Builder {
    private long seed = 1;
    private List<String> accounts = List.of("123456789012");
    private List<String> regions = List.of("us-west-2");
    private int channelsPerAccountRegion = 5;
    private int days = 7;
    private double sessionsPerChannelPerDay = 3;
    private Instant anchor;
    private int port;
    private final SimulatorKnobs knobs = new SimulatorKnobs();

    private Builder() {}

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder accounts(String... v) {
      return accounts(List.of(v));
    }

    public Builder accounts(List<String> v) {
      accounts = FleetSpec.checkAccounts(v);
      return this;
    }

    public Builder regions(String... v) {
      return regions(List.of(v));
    }

    public Builder regions(List<String> v) {
      regions = FleetSpec.checkRegions(v);
      return this;
    }

    public Builder channelsPerAccountRegion(int v) {
      channelsPerAccountRegion = FleetSpec.checkChannels(v);
      return this;
    }

    public Builder days(int v) {
      days = FleetSpec.checkDays(v);
      return this;
    }

    public Builder sessionsPerChannelPerDay(double v) {
      sessionsPerChannelPerDay = FleetSpec.checkSessions(v);
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
      knobs.deniedRoles().addAll(v);
      return this;
    }

    public Builder stsDurationSeconds(long v) {
      knobs.stsDurationSeconds(v);
      return this;
    }

    public Builder roleExternalId(String v) {
      knobs.roleExternalId(v);
      return this;
    }

    public Builder tps(double v) {
      knobs.tps(v);
      return this;
    }

    public Builder latencyMs(long v) {
      knobs.latencyMs(v);
      return this;
    }

    public Builder latencyJitterMs(long v) {
      knobs.latencyJitterMs(v);
      return this;
    }

    public Builder throttleRate(double v) {
      knobs.throttleRate(v);
      return this;
    }

    public Builder serverErrorRate(double v) {
      knobs.serverErrorRate(v);
      return this;
    }

    public Builder slowRate(double v) {
      knobs.slowRate(v);
      return this;
    }

    public Builder slowMs(long v) {
      knobs.slowMs(v);
      return this;
    }

    public Builder resetRate(double v) {
      knobs.resetRate(v);
      return this;
    }

    public Builder malformedRate(double v) {
      knobs.malformedRate(v);
      return this;
    }

    public Builder forbiddenIds(Collection<String> v) {
      knobs.forbiddenIds().addAll(v);
      return this;
    }

    public Builder accessKeyAccount(String accessKeyId, String accountId) {
      knobs.accessKeyAccounts().put(accessKeyId, accountId);
      return this;
    }

    public SimulatorConfig build() {
      FleetSpec spec =
          new FleetSpec(
              seed,
              accounts,
              regions,
              channelsPerAccountRegion,
              days,
              sessionsPerChannelPerDay,
              anchor != null ? anchor : Instant.now().truncatedTo(ChronoUnit.HOURS));
      return new SimulatorConfig(spec, port, knobs.copy());
    }
  }
}
