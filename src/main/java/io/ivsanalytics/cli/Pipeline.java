package io.ivsanalytics.cli;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.flatten.FlattenResult;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.model.RawArchive;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.output.WeeklyEmail;
import io.ivsanalytics.reports.ReportStage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** fetch → flatten → report (→ email): the weekly run, shared by {@code run} and {@code demo}. */
final class Pipeline {

  record Outcome(
      FetchSummary fetch, FlattenResult flatten, ReportSummary report, WeeklyEmail.Result email) {
    int exitCode() {
      return fetch.ok() ? 0 : Main.EXIT_FAILED;
    }
  }

  static Outcome run(
      SparkSession spark,
      FetchOptions options,
      Path reportDir,
      boolean email,
      Settings settings,
      PrintStream out) {
    String lake = options.lake();

    out.println("== fetch");
    FetchSummary fetched = FetchStage.run(spark, options);
    fetched.print(out);

    out.println("== flatten");
    FlattenResult flat =
        FlattenStage.run(spark, List.of(RawArchive.dir(lake)), lake, options.from(), options.to());
    out.println(flat.summary());

    out.println("== report");
    // This run's own fetch errors: those of its run date.
    ReportSummary report =
        ReportFolder.write(
            ReportStage.run(
                spark,
                lake,
                options.from(),
                options.to(),
                settings,
                options.runDate(),
                options.runDate()),
            reportDir);
    out.printf(
        Locale.ROOT,
        "reports for %s: %d sessions, %d channels, %d fetch errors, %d alerts in %s%n",
        report.windowLabel(),
        report.sessions(),
        report.channels(),
        report.fetchErrors(),
        report.alerts().size(),
        reportDir);
    report.alerts().forEach(a -> out.println("ALERT " + a.message()));

    WeeklyEmail.Result mail = null;
    if (email) {
      out.println("== email");
      mail = WeeklyEmail.send(reportDir, settings);
      out.println(
          mail.sent()
              ? "sent '" + mail.subject() + "' to " + mail.recipients()
              : "no smtp.host set: wrote " + mail.eml());
    }
    return new Outcome(fetched, flat, report, mail);
  }

  private Pipeline() {}
}
