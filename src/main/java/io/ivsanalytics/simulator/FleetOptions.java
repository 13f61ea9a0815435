package io.ivsanalytics.simulator;

import io.ivsanalytics.config.UsageException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The fleet options of every command that generates a simulated fleet ({@code simulate}, {@code
 * demo}): declared once, with one default each. They define the immutable {@link FleetSpec}.
 */
public final class FleetOptions {
  @Option(names = "--seed", paramLabel = "N", description = "Seed of the fleet (and of the faults). Default: ${DEFAULT-VALUE}.")
  public long seed = 42;

  @Option(names = "--accounts", split = ",", paramLabel = "ID",
      description = "12-digit account ids of the fleet. Default: ${DEFAULT-VALUE}.")
  public List<String> accounts = List.of("123456789012");

  @Option(names = "--regions", split = ",", paramLabel = "R", description = "Regions of the fleet. Default: ${DEFAULT-VALUE}.")
  public List<String> regions = List.of("us-west-2");

  @Option(names = "--channels", paramLabel = "N", description = "Channels per account and region. Default: ${DEFAULT-VALUE}.")
  public int channels = 12;

  @Option(names = "--days", paramLabel = "N", description = "Days of history before the anchor. Default: ${DEFAULT-VALUE}.")
  public int days = 7;

  @Option(names = "--sessions-per-day", paramLabel = "N",
      description = "Mean sessions per channel per day. Default: ${DEFAULT-VALUE}.")
  public double sessionsPerDay = 2;

  @Option(names = "--anchor", paramLabel = "WHEN", description = "End of the history, UTC: a date (2024-05-06, its"
      + " midnight) or an instant (2024-05-06T12:00:00Z). Default: now, to the hour.")
  public String anchor;

  /** The anchor given, or now truncated to the hour. */
  public Instant anchorOrNow(Clock clock) {
    Instant given = parseAnchor(anchor);
    return given != null ? given : clock.instant().truncatedTo(ChronoUnit.HOURS);
  }

  /**
   * The one {@code --anchor} parser: a UTC date ({@code 2024-05-06}, its midnight) or an ISO-8601
   * instant ({@code 2024-05-06T12:00:00Z}); null stays null.
   */
  public static Instant parseAnchor(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    try {
      return v.contains("T") ? Instant.parse(v) : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException("--anchor is not a date (2024-05-06) or an ISO-8601 instant (2024-05-06T00:00:00Z): '"
          + value + "'");
    }
  }

  /** The fleet these options define (bad values are usage errors naming the value). */
  public FleetSpec spec(Clock clock) {
    try {
      return new FleetSpec(seed, accounts, regions, channels, days, sessionsPerDay, anchorOrNow(clock));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Sets the fleet of {@code b} to these options. */
  public SimulatorConfig.Builder applyTo(SimulatorConfig.Builder b, Clock clock) {
    FleetSpec s = spec(clock);
    return b.seed(s.seed()).accounts(s.accounts()).regions(s.regions()).channelsPerAccountRegion(s.channelsPerAccountRegion())
        .days(s.days()).sessionsPerChannelPerDay(s.sessionsPerChannelPerDay()).anchor(s.anchor());
  }
}
