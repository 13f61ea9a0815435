package io.ivsanalytics.simulator;

import io.ivsanalytics.config.UsageException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Option;

/**
 * The seed and the span of a simulated history, declared once with one default each: part of {@link
 * FleetOptions} ({@code simulate}, {@code demo}, {@code bench-fetch}) and used alone by {@code
 * generate}, which writes a raw archive without a fleet of accounts and channels.
 */
public final class HistoryOptions {
  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the fleet (and of the faults). Default: ${DEFAULT-VALUE}.")
  public long seed = 42;

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Days of history before the anchor. Default: ${DEFAULT-VALUE}.")
  public int days = 7;

  @Option(
      names = "--anchor",
      paramLabel = "WHEN",
      description =
          "End of the history, UTC: a date (2024-05-06, its"
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
      return v.contains("T")
          ? Instant.parse(v)
          : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--anchor is not a date (2024-05-06) or an ISO-8601 instant (2024-05-06T00:00:00Z): '"
              + value
              + "'");
    }
  }
}
