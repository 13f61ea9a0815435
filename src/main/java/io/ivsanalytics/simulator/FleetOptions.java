package io.ivsanalytics.simulator;

import io.ivsanalytics.config.UsageException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fleet options of every command that generates a simulated fleet ({@code simulate}, {@code
 * demo}, {@code bench-fetch}): declared once, with one default each. They define the immutable
 * {@link FleetSpec}.
 */
public final class FleetOptions {
  /** --seed, --days and --anchor, shared with {@code generate}. */
  @Mixin public HistoryOptions history = new HistoryOptions();

  @Option(
      names = "--accounts",
      split = ",",
      paramLabel = "ID",
      description = "12-digit account ids of the fleet. Default: ${DEFAULT-VALUE}.")
  public List<String> accounts = List.of("123456789012");

  @Option(
      names = "--regions",
      split = ",",
      paramLabel = "R",
      description = "Regions of the fleet. Default: ${DEFAULT-VALUE}.")
  public List<String> regions = List.of("us-west-2");

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "Channels per account and region. Default: ${DEFAULT-VALUE}.")
  public int channels = 12;

  @Option(
      names = "--sessions-per-day",
      paramLabel = "N",
      description = "Mean sessions per channel per day. Default: ${DEFAULT-VALUE}.")
  public double sessionsPerDay = 2;

  /** The anchor given, or now truncated to the hour. */
  public Instant anchorOrNow(Clock clock) {
    return history.anchorOrNow(clock);
  }

  /** The one {@code --anchor} parser (see {@link HistoryOptions#parseAnchor}). */
  public static Instant parseAnchor(String value) {
    return HistoryOptions.parseAnchor(value);
  }

  /** The fleet these options define (bad values are usage errors naming the value). */
  public FleetSpec spec(Clock clock) {
    try {
      return new FleetSpec(
          history.seed,
          accounts,
          regions,
          channels,
          history.days,
          sessionsPerDay,
          anchorOrNow(clock));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Sets the fleet of {@code b} to these options. */
  public SimulatorConfig.Builder applyTo(SimulatorConfig.Builder b, Clock clock) {
    FleetSpec s = spec(clock);
    return b.seed(s.seed())
        .accounts(s.accounts())
        .regions(s.regions())
        .channelsPerAccountRegion(s.channelsPerAccountRegion())
        .days(s.days())
        .sessionsPerChannelPerDay(s.sessionsPerChannelPerDay())
        .anchor(s.anchor());
  }
}
