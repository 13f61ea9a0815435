package io.ivsanalytics.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.LakeTables;
import io.ivsanalytics.TestSpark;
import io.ivsanalytics.cli.Main;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stock Spark 4.0.1 (Scala 2.13): the jar of {@code mvn -Pcluster,spark4 package} runs {@code
 * flatten} and {@code report} through SparkSubmit (local mode) on a Spark 4.0.1 classpath, and
 * writes the same tables and CSV reports as this build's line does in-process.
 */
class Spark4SubmitIT {
  static final String FROM = "2024-04-28";
  static final String TO = "2024-05-08";

  @TempDir Path dir;

  @Test
  void flattenAndReportOnStockSpark4() throws Exception {
    SparkLine line = SparkLine.spark4();
    Path jar = line.requireJar();
    Path home = line.sparkHome();

    // Input: the response fixtures (complete, legacy, live, multitrack, unknown fields, malformed)
    // and a small generated archive.
    Path fixtures = Path.of("src/test/resources/fixtures").toAbsolutePath();
    Path generated = dir.resolve("generated");
    assertEquals(
        0,
        Main.execute(
            "generate",
            "--sessions",
            "120",
            "--out",
            generated.toString(),
            "--seed",
            "4",
            "--days",
            "9",
            "--anchor",
            "2024-05-07",
            "--threads",
            "1"));
    List<String> raw = new ArrayList<>();
    try (Stream<Path> files = Files.list(fixtures)) {
      files
          .filter(f -> f.toString().endsWith(".json"))
          .sorted()
          .forEach(f -> raw.add(f.toString()));
    }
    raw.add(generated.resolve("raw").toString());

    Path lake4 = dir.resolve("lake-spark4");
    Path reports4 = dir.resolve("reports-spark4");
    submit(line, home, jar, flatten(raw, lake4));
    submit(
        line,
        home,
        jar,
        List.of(
            "report",
            "--lake",
            lake4.toString(),
            "--from",
            FROM,
            "--to",
            TO,
            "--out",
            reports4.toString()));

    Path lake = dir.resolve("lake");
    Path reports = dir.resolve("reports");
    assertEquals(0, Main.execute(flatten(raw, lake).toArray(String[]::new)));
    assertEquals(
        0,
        Main.execute(
            "report",
            "--lake",
            lake.toString(),
            "--from",
            FROM,
            "--to",
            TO,
            "--out",
            reports.toString()));

    SparkSession spark = TestSpark.session();
    Map<Table, List<String>> expected = new EnumMap<>(Table.class);
    Map<Table, List<String>> actual = new EnumMap<>(Table.class);
    for (Table t : Table.values()) {
      expected.put(t, LakeTables.rows(spark, lake, t));
      actual.put(t, LakeTables.rows(spark, lake4, t));
    }
    assertTrue(
        expected.get(Table.SESSIONS).size() > 120,
        "sessions: " + expected.get(Table.SESSIONS).size());
    assertFalse(
        expected.get(Table.FETCH_ERRORS).isEmpty(), "the malformed fixture is a fetch_errors row");
    LakeTables.assertSame(
        expected, actual, "tables written on Spark 4.0.1 differ from " + SparkLine.built());

    Map<String, String> csv = csvFiles(reports);
    assertTrue(csv.size() >= 5, "CSV reports: " + csv.keySet());
    assertEquals(csv, csvFiles(reports4), "CSV reports written on Spark 4.0.1 differ");
    assertTrue(Files.size(reports4.resolve("report.html")) > 0);
  }

  static List<String> flatten(List<String> raw, Path lake) {
    List<String> args = new ArrayList<>(List.of("flatten", "--lake", lake.toString()));
    for (String r : raw) {
      args.add("--raw");
      args.add(r);
    }
    return args;
  }

  void submit(SparkLine line, Path home, Path jar, List<String> args)
      throws IOException, InterruptedException {
    Path log = dir.resolve("submit-" + args.get(0) + ".log");
    Process p =
        line.submit(home, "local[2]", jar, List.of("spark.sql.shuffle.partitions=2"), args)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      boolean done = p.waitFor(15, TimeUnit.MINUTES);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(done, args.get(0) + " on " + line + " did not end within 15 minutes\n" + out);
      assertEquals(0, p.exitValue(), args.get(0) + " on " + line + "\n" + out);
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  static Map<String, String> csvFiles(Path reports) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(reports)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
        out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
