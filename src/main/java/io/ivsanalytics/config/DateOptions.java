package io.ivsanalytics.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The {@code --from/--to} options every command shares: UTC dates, the window {@code [from, to)}.
 */
public final class DateOptions {

  /** Parses a {@code YYYY-MM-DD} option value; null stays null. */
  public static LocalDate parse(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new UsageException(option + " must be a date YYYY-MM-DD, got '" + value + "'");
    }
  }

  /** Rejects a window whose start is not before its end; either bound may be open (null). */
  public static void requireOrdered(LocalDate from, LocalDate to) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new UsageException(
          String.format(
              Locale.ROOT,
              "--from %s must be before --to %s (the window is [from, to))",
              from,
              to));
    }
  }

  private DateOptions() {}
}
