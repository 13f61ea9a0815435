package io.ivsanalytics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of `report` and `email`: exit code 2 and a message naming the values. */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void fromNotBeforeToNamesBothDates() {
    String err =
        run(
            2,
            "report",
            "--lake",
            dir.toString(),
            "--from",
            "2024-05-13",
            "--to",
            "2024-05-06",
            "--out",
            dir.toString());
    assertTrue(err.contains("2024-05-13") && err.contains("2024-05-06"), err);
    err =
        run(
            2,
            "report",
            "--lake",
            dir.toString(),
            "--from",
            "2024-05-06",
            "--to",
            "2024-05-06",
            "--out",
            dir.toString());
    assertTrue(err.contains("--from 2024-05-06 must be before --to 2024-05-06"), err);
  }

  @Test
  void badDateNamesOptionAndValue() {
    String err =
        run(2, "report", "--from", "2024-13-01", "--to", "2024-05-06", "--out", dir.toString());
    assertTrue(err.contains("--from must be a date YYYY-MM-DD, got '2024-13-01'"), err);
  }

  @Test
  void badLimitsFileStopsBeforeSparkStarts() throws Exception {
    Path limits = dir.resolve("limits.csv");
    Files.writeString(
        limits,
        "channel_type,max_height_for_low_bitrate_px,low_max_bitrate_bps,max_bitrate_bps,max_long_side_px,max_short_side_px,max_fps\n"
            + "BASIC,,,lots,1920,1080,60\n");
    Path conf = dir.resolve("c.properties");
    Files.writeString(conf, "report.limits = " + limits + "\n");
    String err =
        run(
            2,
            "report",
            "--conf",
            conf.toString(),
            "--from",
            "2024-05-06",
            "--to",
            "2024-05-13",
            "--out",
            dir.toString());
    assertTrue(err.contains(limits + " line 2") && err.contains("'lots'"), err);
  }

  @Test
  void failOnAlertExitsThreeAfterWritingEverything() throws Exception {
    Path lake = dir.resolve("lake");
    io.ivsanalytics.reports.ReportFixtures.standard()
        .write(io.ivsanalytics.TestSpark.session(), lake);
    Path conf = dir.resolve("alerts.properties");
    Files.writeString(conf, "alert.conformance.rate.min = 0.5\n");
    Path out = dir.resolve("reports");
    // The thresholds come from the three sources: option (failure rate), environment (min
    // samples) and file (conformance). Four alerts fire (see ReportStageTest).
    ProcessBuilder pb =
        io.ivsanalytics.ChildJvm.of(
            java.util.List.of(),
            Main.class.getName(),
            java.util.List.of(
                "report",
                "--conf",
                conf.toString(),
                "--lake",
                lake.toString(),
                "--from",
                "2024-05-06",
                "--to",
                "2024-05-13",
                "--out",
                out.toString(),
                "--alert-failure-rate-max",
                "0.5",
                "--fail-on-alert"));
    pb.environment().put("IVS_ANALYTICS_ALERT_MIN_SAMPLES", "4");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "report did not finish");
    assertEquals(3, p.exitValue(), output);
    assertTrue(output.contains("4 alerts"), output);
    assertTrue(output.contains("ALERT STANDARD: takeover failure rate 75.0%"), output);
    for (String f :
        java.util.List.of(
            "report.html",
            "summary.json",
            "takeover_failure_rates.csv",
            "bitrate_conformance.csv",
            "weekly_trends.csv",
            "nonconformant_encoders.csv",
            "takeover_failures_by_channel.csv")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertEquals(4, io.ivsanalytics.model.report.ReportSummary.read(out).alerts().size());
  }

  @Test
  void badAlertOptionIsAUsageError() {
    String err =
        run(
            2,
            "report",
            "--from",
            "2024-05-06",
            "--to",
            "2024-05-13",
            "--out",
            dir.toString(),
            "--alert-conformance-rate-min",
            "ninety");
    assertTrue(err.contains("alert.conformance.rate.min") && err.contains("'ninety'"), err);
  }

  @Test
  void emailWithoutReportFolderIsAUsageError() {
    String err = run(2, "email", "--reports", dir.resolve("nope").toString());
    assertTrue(err.contains("nope"), err);
    err = run(2, "email", "--reports", dir.toString());
    assertTrue(err.contains("summary.json"), err);
  }

  private static String run(int expectedExit, String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.execute(args);
    } finally {
      System.setErr(old);
    }
    String err = buf.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, code, err);
    return err;
  }
}
