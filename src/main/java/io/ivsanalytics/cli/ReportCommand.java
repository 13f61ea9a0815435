package io.ivsanalytics.cli;

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
      "Writes the reports for the sessions that started in [--from, --to) (UTC dates, both needed):"
          + " CSV files,",
      "report.html and summary.json in --out, compared with the previous window of the same"
          + " length.",
      "Exit code 3 with --fail-on-alert when an alert fired (after writing everything)."
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin LakeOption lake = new LakeOption();

  @Mixin WindowOptions window = new WindowOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report folder (default: setting 'report.out').")
  String out;

  @Mixin ConfOption conf = new ConfOption();

  @Mixin AlertOptions alerts = new AlertOptions();

  @Override
  public Integer call() {
    LocalDate[] dates = window.required("report");
    LocalDate start = dates[0];
    LocalDate end = dates[1];
    Settings settings = alerts.apply(conf.settings());
    String outDir = settings.get("report.out", out);
    if (outDir == null) {
      throw new UsageException("no report folder: give --out DIR or set report.out");
    }
    BitrateLimits.load(settings);
    SparkSession spark = SparkSessions.create("ivs-analytics report");
    try {
      ReportSummary s =
          ReportFolder.write(
              ReportStage.run(spark, lake.lake(settings), start, end, settings), Path.of(outDir));
      System.out.printf(
          java.util.Locale.ROOT,
          "reports for %s: %d sessions, %d channels, %d fetch errors, %d alerts%n",
          s.windowLabel(),
          s.sessions(),
          s.channels(),
          s.fetchErrors(),
          s.alerts().size());
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
