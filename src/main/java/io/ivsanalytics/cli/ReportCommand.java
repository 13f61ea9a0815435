package io.ivsanalytics.cli;

import io.ivsanalytics.config.DateOptions;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.config.SparkSessions;
import io.ivsanalytics.config.UsageException;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.reports.BitrateLimits;
import io.ivsanalytics.reports.ReportStage;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the reports for the sessions that started in [--from, --to) (UTC dates): CSV files,",
      "report.html and summary.json in --out, compared with the previous window of the same length.",
      "Exit code 3 with --fail-on-alert when an alert fired (after writing everything)."
    })
public final class ReportCommand implements Callable<Integer> {
  @Option(names = "--lake", paramLabel = "DIR", description = "Lake root (default: setting 'lake').")
  String lake;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day (inclusive).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Day after the window (exclusive).")
  String to;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default: setting 'report.out').")
  String out;

  @Option(names = "--conf", paramLabel = "FILE", description = "Configuration file (default: conf/ivs-analytics.properties).")
  String conf;

  @Mixin AlertOptions alerts = new AlertOptions();

  @Override
  public Integer call() {
    LocalDate start = DateOptions.parse("--from", from);
    LocalDate end = DateOptions.parse("--to", to);
    DateOptions.requireOrdered(start, end);
    Settings settings = alerts.apply(Settings.loadFrom(conf));
    String outDir = settings.get("report.out", out);
    if (outDir == null) {
      throw new UsageException("no report folder: give --out DIR or set report.out");
    }
    BitrateLimits.load(settings);
    SparkSession spark = SparkSessions.create("ivs-analytics report");
    try {
      ReportSummary s = ReportFolder.write(ReportStage.run(spark, settings.get("lake", lake), start, end, settings), Path.of(outDir));
      System.out.printf(
          java.util.Locale.ROOT,
          "reports for %s: %d sessions, %d channels, %d fetch errors, %d alerts%n",
          s.windowLabel(), s.sessions(), s.channels(), s.fetchErrors(), s.alerts().size());
      s.alerts().forEach(a -> System.out.println("ALERT " + a.message()));
      for (String f : s.files()) {
        System.out.println(Path.of(outDir).resolve(f));
      }
      return alerts.exitCode(0, s.alerts().size());
    } finally {
      SparkSessions.stop(spark);
    }
  }
}
