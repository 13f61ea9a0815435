package io.ivsanalytics.bench;

import io.ivsanalytics.config.ExitCodes;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ivs-analytics-bench <benchmark>}: the benchmarks' own entry point (used by {@code
 * jobs/bench-lake} and {@code jobs/bench-fetch}), kept apart from the job's entry point so that the
 * production command line does not carry them.
 *
 * <p>Exit codes as for the job: 0 every target met; 1 a target missed or the run failed; 2 bad
 * input or configuration.
 */
@Command(
    name = "ivs-analytics-bench",
    mixinStandardHelpOptions = true,
    version = "ivs-session-analytics 0.1.0",
    description =
        "Benchmarks of the fetch, flatten and report stages; each prints its figures and"
            + " PASS/FAIL.",
    subcommands = {BenchLakeCommand.class, FetchBenchmark.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    System.exit(execute(args));
  }

  /** Runs a benchmark command line and returns its exit code. */
  public static int execute(String... args) {
    return ExitCodes.execute(new BenchMain(), "ivs-analytics-bench", args);
  }
}
