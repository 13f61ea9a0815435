package io.ivsanalytics.cli;

import io.ivsanalytics.config.DateOptions;
import io.ivsanalytics.config.UsageException;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/**
 * {@code --from/--to}: the window {@code [from, to)} in UTC days, declared once. Each command says
 * in its description what an open bound means for it; the dates and their order are checked here.
 */
public final class WindowOptions {
  @Option(
      names = "--from",
      paramLabel = "YYYY-MM-DD",
      description = "First UTC day of the window, inclusive.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "YYYY-MM-DD",
      description = "UTC day after the window (exclusive).")
  String to;

  /** {@code --from}, or null when not given. */
  LocalDate from() {
    return DateOptions.parse("--from", from);
  }

  /** {@code --to}, or null when not given. */
  LocalDate to() {
    return DateOptions.parse("--to", to);
  }

  /** Both dates parsed and ordered; either may be null (an open bound). */
  LocalDate[] checked() {
    LocalDate f = from();
    LocalDate t = to();
    DateOptions.requireOrdered(f, t);
    return new LocalDate[] {f, t};
  }

  /** Both dates, which {@code command} needs, parsed and ordered. */
  LocalDate[] required(String command) {
    if (from == null || to == null) {
      throw new UsageException(
          command + " needs the window: --from YYYY-MM-DD and --to YYYY-MM-DD");
    }
    return checked();
  }
}
