package io.ivsanalytics.cli;

import io.ivsanalytics.config.ExitCodes;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ivs-analytics <command>}: the job's entry point for the launcher and spark-submit.
 *
 * <p>Exit codes: 0 done; 1 the run failed; 2 bad input or configuration (the message names the
 * file, line or option and the value).
 */
@Command(
    name = "ivs-analytics",
    mixinStandardHelpOptions = true,
    version = "ivs-session-analytics 0.1.0",
    description = "Amazon IVS stream sessions to a Parquet lake and weekly reports.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      FetchCommand.class,
      FlattenCommand.class,
      ReportCommand.class,
      EmailCommand.class,
      SimulateCommand.class,
      GenerateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  public static final int EXIT_FAILED = ExitCodes.FAILED;
  public static final int EXIT_USAGE = ExitCodes.USAGE;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return ExitCodes.execute(new Main(), "ivs-analytics", args);
  }
}
