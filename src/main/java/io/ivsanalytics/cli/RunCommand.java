package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.lake.LakeFs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ivs-analytics run}: the scheduled job. fetch → flatten → report, and the weekly email with
 * {@code --email}. Exit code 0 when every requested id ended in the raw archive or in fetch_errors,
 * 1 when the run failed, 2 on bad input or configuration, 3 with {@code --fail-on-alert} when an
 * alert fired (after the reports and the email were written).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "fetch -> flatten -> report (-> email) for the window [--from, --to) (default: the last 7"
          + " full days).",
      "Takes every option of 'fetch', plus:"
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin FetchCliOptions fetch = new FetchCliOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "report folder (default: setting 'report.out', else LAKE/reports/FROM_TO)")
  String out;

  @Option(
      names = "--email",
      description = "send the weekly email (or write an .eml when smtp.host is unset)")
  boolean email;

  @Mixin AlertOptions alerts = new AlertOptions();

  @Override
  public Integer call() {
    Settings settings = alerts.apply(fetch.settings());
    FetchOptions options = fetch.options(settings);
    Path reportDir = reportDir(settings, options, out);
    SparkSession spark = SparkSessions.create("ivs-analytics run");
    try {
      Pipeline.Outcome outcome =
          Pipeline.run(spark, options, reportDir, email, settings, System.out);
      return alerts.exitCode(outcome.exitCode(), outcome.report().alerts().size());
    } finally {
      SparkSessions.stop(spark);
    }
  }

  static Path reportDir(Settings settings, FetchOptions options, String override) {
    String configured = settings.get("report.out", override);
    if (configured != null) {
      return Path.of(configured);
    }
    if (LakeFs.isUri(options.lake()) && !options.lake().startsWith("file:")) {
      throw new UsageException(
          "the lake "
              + options.lake()
              + " is not a local folder, so the reports need one:"
              + " give --out DIR or set report.out");
    }
    return Path.of(options.lake(), "reports", options.from() + "_" + options.to());
  }
}
