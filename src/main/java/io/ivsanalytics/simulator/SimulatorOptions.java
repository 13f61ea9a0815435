package io.ivsanalytics.simulator;

import io.ivsanalytics.config.UsageException;
import picocli.CommandLine.Option;

/** The simulator's quota and latency options, declared once for every command that starts one. */
public final class SimulatorOptions {
  @Option(
      names = "--tps",
      paramLabel = "N",
      description = "Quota per account, region and operation. Default: ${DEFAULT-VALUE}.")
  public double tps = 5;

  @Option(
      names = "--latency-ms",
      paramLabel = "MS",
      description = "Fixed latency per answer. Default: ${DEFAULT-VALUE}.")
  public long latencyMs = 40;

  @Option(
      names = "--jitter-ms",
      paramLabel = "MS",
      description = "Extra random latency, up to this. Default: ${DEFAULT-VALUE}.")
  public long jitterMs = 20;

  /** Sets the quota and latency of {@code b} (bad values are usage errors naming the value). */
  public SimulatorConfig.Builder applyTo(SimulatorConfig.Builder b) {
    try {
      return b.tps(tps).latencyMs(latencyMs).latencyJitterMs(jitterMs);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
