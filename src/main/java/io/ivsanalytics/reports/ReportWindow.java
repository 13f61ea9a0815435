package io.ivsanalytics.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sessions a report covers: those whose start is in {@code [from, to)}, both UTC dates. Since
 * the lake's {@code dt} is the UTC date of the session start, the window is exactly the partitions
 * {@code from <= dt < to}.
 */
public record ReportWindow(LocalDate from, LocalDate to) {

  public ReportWindow {
    if (from == null || to == null) {
      throw new IllegalArgumentException("window needs both --from and --to");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--from %s must be before --to %s (the window is [from, to))",
              from,
              to));
    }
  }

  public List<LocalDate> dates() {
    List<LocalDate> out = new ArrayList<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      out.add(d);
    }
    return out;
  }

  public Instant startInstant() {
    return from.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  public Instant endInstant() {
    return to.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The last day inside the window. */
  public LocalDate lastDay() {
    return to.minusDays(1);
  }

  /**
   * The window of the same length just before this one: {@code [from - (to - from), from)}, the
   * period the report compares with.
   */
  public ReportWindow previous() {
    return new ReportWindow(from.minusDays(days()), from);
  }

  /** Days in the window. */
  public long days() {
    return java.time.temporal.ChronoUnit.DAYS.between(from, to);
  }

  /**
   * For people, the one form used everywhere (page, email, subject): "2024-05-06 – 2024-05-12
   * (UTC)", first and last day included, an en dash between them.
   */
  public String label() {
    return from + " \u2013 " + lastDay() + " (UTC)";
  }
}
