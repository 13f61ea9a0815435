package io.ivsanalytics.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ivsanalytics.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notebooks/weekly_trends.ipynb runs top to bottom against a lake written with the lake's schemas. */
class WeeklyTrendsNotebookTest {
  static final Path NOTEBOOK = Path.of("notebooks", "weekly_trends.ipynb");
  @TempDir Path dir;

  @Test
  void committedNotebookHasNoOutputs() throws Exception {
    String json = Files.readString(NOTEBOOK, StandardCharsets.UTF_8);
    assertFalse(json.contains("\"output_type\""), "strip outputs before committing " + NOTEBOOK);
    assertFalse(json.matches("(?s).*\"execution_count\": [0-9].*"), "strip execution counts before committing " + NOTEBOOK);
  }

  @Test
  void executesEveryCellAgainstALake() throws Exception {
    Path jupyter = Path.of(".venv", "bin", "jupyter");
    if (!Files.isExecutable(jupyter)) {
      fail(".venv/bin/jupyter is missing: run jobs/setup-test-tools to create the notebook environment");
    }
    Path lake = dir.resolve("lake");
    ReportFixtures.standard().write(TestSpark.session(), lake);
    Path out = dir.resolve("executed");
    ProcessBuilder pb = new ProcessBuilder(jupyter.toString(), "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=300", "--output-dir", out.toString(), NOTEBOOK.toString());
    pb.environment().put("IVS_LAKE", lake.toString());
    pb.environment().put("MPLCONFIGDIR", dir.resolve("mpl").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("nbconvert.log").toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("nbconvert did not finish");
    }
    String log = Files.readString(dir.resolve("nbconvert.log"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "a notebook cell failed:\n" + log);
    String executed = Files.readString(out.resolve("weekly_trends.ipynb"), StandardCharsets.UTF_8);
    Files.createDirectories(Path.of("target", "report-preview"));
    Files.writeString(Path.of("target", "report-preview", "weekly_trends.executed.ipynb"), executed, StandardCharsets.UTF_8);
    assertFalse(executed.contains("\"output_type\": \"error\""), executed);
    assertTrue(executed.contains("tables: sessions, tracks, events, fetch_errors"), "lake views were not created");
    // Eight ISO weeks up to the newest session (2024-05-13, a Monday).
    assertTrue(executed.contains("sessions that started 2024-03-25 .. 2024-05-13 (UTC)"), "window not computed");
    assertEquals(4, executed.split("\"image/png\"", -1).length - 1, "expected four charts in the executed notebook");
  }
}
