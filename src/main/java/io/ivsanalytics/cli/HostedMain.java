package io.ivsanalytics.cli;

import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The entry point for platforms that run a jar's main class inside a Spark application they own and
 * keep (a Databricks jar task, an AWS Glue job): the same commands as {@link Main}, but it never
 * calls {@code System.exit} and leaves the platform's SparkContext running. A non-zero exit code
 * becomes an exception, so the platform marks the run failed.
 */
public final class HostedMain {
  /**
   * The Glue job parameter that holds the command line, e.g. {@code run --ids s3://b/ids.csv ...}.
   */
  public static final String GLUE_ARGS = "--ivs-args";

  public static void main(String[] args) {
    run(args);
  }

  /** Runs one command line; throws when its exit code is not 0. */
  public static void run(String... args) {
    Locale.setDefault(Locale.ROOT);
    SparkSessions.keepRunning(true);
    int code = Main.execute(args);
    if (code != 0) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "ivs-analytics %s exited with code %d (%s); see the messages above",
              args.length == 0 ? "" : args[0],
              code,
              code == Main.EXIT_USAGE ? "bad input or configuration" : "the run failed"));
    }
  }

  /**
   * AWS Glue: the job's arguments arrive as {@code --key value} pairs (Glue adds its own, such as
   * {@code --JOB_ID}); the command line is the value of {@value #GLUE_ARGS}, split at spaces.
   */
  public static void glue(String[] sysArgs) {
    run(glueCommandLine(sysArgs).toArray(String[]::new));
  }

  static List<String> glueCommandLine(String[] sysArgs) {
    List<String> all = Arrays.asList(sysArgs);
    int i = all.indexOf(GLUE_ARGS);
    if (i < 0 || i + 1 >= all.size() || all.get(i + 1).isBlank()) {
      throw new UsageException(
          "the Glue job needs the parameter "
              + GLUE_ARGS
              + " with the command line, e.g. 'run --ids s3://bucket/ids.csv --lake"
              + " s3://bucket/lake --out /tmp/reports'");
    }
    List<String> out = new ArrayList<>();
    for (String part : all.get(i + 1).strip().split("\\s+")) {
      out.add(part);
    }
    return out;
  }

  private HostedMain() {}
}
