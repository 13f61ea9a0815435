package io.ivsanalytics.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.flatten.FlattenStage;
import io.ivsanalytics.ingest.FetchOptions;
import io.ivsanalytics.ingest.FetchStage;
import io.ivsanalytics.ingest.FetchSummary;
import io.ivsanalytics.output.ReportFolder;
import io.ivsanalytics.simulator.IvsSimulator;
import io.ivsanalytics.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notebooks/weekly_trends.ipynb runs top to bottom against a lake written with the lake's schemas,
 * and against a lake the pipeline itself made (simulator, fetch, flatten) as the demo does.
 */
class WeeklyTrendsNotebookTest {
  static final Path NOTEBOOK = Path.of("notebooks", "weekly_trends.ipynb");
  @TempDir Path dir;

  @Test
  void committedNotebookHasNoOutputs() throws Exception {
    String json = Files.readString(NOTEBOOK, StandardCharsets.UTF_8);
    assertFalse(json.contains("\"output_type\""), "strip outputs before committing " + NOTEBOOK);
    assertFalse(
        json.matches("(?s).*\"execution_count\": [0-9].*"),
        "strip execution counts before committing " + NOTEBOOK);
  }

  @Test
  void executesEveryCellAgainstALakeAndComputesTheReportsWeeklyTrend() throws Exception {
    Path lake = dir.resolve("lake");
    ReportFixtures.standard().write(TestSpark.session(), lake);
    Path trends = dir.resolve("notebook-trends.csv");
    String executed =
        execute(lake, Map.of("IVS_TO", "2024-05-13", "IVS_TRENDS_CSV", trends.toString()));
    Files.createDirectories(Path.of("target", "report-preview"));
    Files.writeString(
        Path.of("target", "report-preview", "weekly_trends.executed.ipynb"),
        executed,
        StandardCharsets.UTF_8);
    assertTrue(
        executed.contains("tables: sessions, tracks, events, fetch_errors"),
        "lake views were not created");
    // Twelve ISO weeks up to IVS_TO, as the report's weekly trend for --to 2024-05-13.
    assertTrue(
        executed.contains("sessions that started 2024-02-19 .. 2024-05-12 (UTC)"),
        "window not computed");
    assertEquals(
        5,
        executed.split("\"image/png\"", -1).length - 1,
        "expected five charts in the executed notebook");
    // The notebook's weekly trend (DuckDB) equals weekly_trends.csv of the report (Spark), cell for
    // cell; the report neutralises '-ROGUE against spreadsheet formulas, the notebook does not.
    Path reports = dir.resolve("reports");
    ReportFolder.write(
        ReportStage.run(
            TestSpark.session(),
            lake.toString(),
            LocalDate.parse("2024-05-06"),
            LocalDate.parse("2024-05-13"),
            Settings.defaults()),
        reports);
    String fromReport =
        Files.readString(reports.resolve(WeeklyTrendsReport.FILE), StandardCharsets.UTF_8)
            .replace("'-ROGUE", "-ROGUE");
    assertEquals(fromReport, Files.readString(trends, StandardCharsets.UTF_8));
  }

  @Test
  void executesEveryCellAgainstALakeThePipelineWrote() throws Exception {
    Instant anchor = Instant.parse("2024-05-06T12:00:00Z");
    Path lake = dir.resolve("demo-lake");
    try (IvsSimulator sim =
        IvsSimulator.start(
            SimulatorConfig.builder()
                .seed(42)
                .channelsPerAccountRegion(6)
                .days(7)
                .sessionsPerChannelPerDay(2)
                .anchor(anchor)
                .tps(500)
                .build())) {
      Path ids = dir.resolve("ids.csv");
      sim.fleet().writeIdsFile(ids, false);
      FetchSummary fetched =
          FetchStage.run(
              TestSpark.session(),
              FetchOptions.builder(Settings.defaults())
                  .idsFile(ids)
                  .lake(lake.toString())
                  .endpoint(sim.endpoint().toString())
                  .from(LocalDate.parse("2024-04-29"))
                  .to(LocalDate.parse("2024-05-07"))
                  .quotaTps(500)
                  .build());
      assertTrue(fetched.balanced() && fetched.fetched() > 0, "fetch: " + fetched.fetched());
    }
    FlattenStage.run(TestSpark.session(), List.of(lake.resolve("raw").toString()), lake.toString());
    String executed = execute(lake, Map.of());
    assertTrue(
        executed.contains("tables: sessions, tracks, events, recording_settings"),
        "lake views were not created");
    assertTrue(
        executed.contains(".. 2024-05-06 (UTC)"), "window should end at the newest session start");
    assertEquals(
        5,
        executed.split("\"image/png\"", -1).length - 1,
        "expected five charts in the executed notebook");
  }

  /**
   * Runs the notebook with IVS_LAKE = {@code lake}; fails on any cell error; returns the executed
   * JSON.
   */
  private String execute(Path lake, Map<String, String> env) throws Exception {
    Path jupyter = Path.of(".venv", "bin", "jupyter");
    if (!Files.isExecutable(jupyter)) {
      fail(
          ".venv/bin/jupyter is missing: run jobs/setup-test-tools to create the notebook"
              + " environment");
    }
    Path out = Files.createTempDirectory(dir, "executed");
    ProcessBuilder pb =
        new ProcessBuilder(
            jupyter.toString(),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=300",
            "--output-dir",
            out.toString(),
            NOTEBOOK.toString());
    pb.environment().put("IVS_LAKE", lake.toString());
    pb.environment().putAll(env);
    pb.environment().put("MPLCONFIGDIR", dir.resolve("mpl").toString());
    pb.redirectErrorStream(true);
    Path log = out.resolve("nbconvert.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("nbconvert did not finish");
    }
    assertEquals(
        0,
        p.exitValue(),
        "a notebook cell failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    String executed = Files.readString(out.resolve("weekly_trends.ipynb"), StandardCharsets.UTF_8);
    assertFalse(executed.contains("\"output_type\": \"error\""), executed);
    return executed;
  }
}
