package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.model.report.ReportResult;
import io.ivsanalytics.model.report.ReportTable;
import io.ivsanalytics.testing.WithSpark;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass folds behind the reports: the column-batch path and the row path give the same
 * tables, however small the batches; the partials' percentiles match Spark's percentile_disc and
 * their session sets count distinct pairs across merges and serialization.
 */
@WithSpark
class ReportFoldsTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path lake;

  @BeforeAll
  static void writeLake() {
    lake = dir.resolve("lake");
    ReportFixtures.standard().write(spark, lake);
  }

  private static ReportResult report() {
    return ReportStage.run(
        spark,
        lake.toString(),
        LocalDate.parse("2024-05-06"),
        LocalDate.parse("2024-05-13"),
        Settings.defaults());
  }

  private static ReportResult reportWith(String key, String value) {
    String before = spark.conf().get(key, null);
    spark.conf().set(key, value);
    try {
      return report();
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
  }

  private static List<List<List<Object>>> rows(ReportResult r) {
    List<List<List<Object>>> out = new ArrayList<>();
    for (ReportTable t : r.tables()) {
      out.add(t.rows());
    }
    return out;
  }

  @Test
  void columnBatchesRowsAndTinyBatchesGiveTheSameTables() {
    List<List<List<Object>>> batches = rows(report());
    // Two rows per batch: each batch decodes its own dictionary entries and constant dt again.
    assertEquals(batches, rows(reportWith("spark.sql.parquet.columnarReaderBatchSize", "2")));
    // Without the vectorized reader the scan yields rows, folded through the row path.
    assertEquals(batches, rows(reportWith("spark.sql.parquet.enableVectorizedReader", "false")));
    assertTrue(batches.stream().mapToInt(List::size).sum() > 60, "the fixture fills the tables");
  }

  @Test
  void onlyAPlainColumnReadIsFoldedFromColumnBatches() {
    LakeReader reader = new LakeReader(spark, lake.toString());
    Dataset<Row> plain =
        reader.read(
            Table.TRACKS,
            LocalDate.parse("2024-04-29"),
            LocalDate.parse("2024-05-13"),
            "dt",
            "codec",
            "channel_type");
    assertNotNull(ColumnarScans.of(plain.queryExecution().executedPlan()));
    assertNull(
        ColumnarScans.of(plain.where(col("codec").equalTo("x")).queryExecution().executedPlan()));
    assertNull(
        ColumnarScans.of(
            plain.select(col("codec").plus(1).as("n")).queryExecution().executedPlan()));
    String old = spark.conf().get("spark.sql.parquet.enableVectorizedReader");
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    try {
      Dataset<Row> rowsOnly =
          reader.read(
              Table.TRACKS, LocalDate.parse("2024-04-29"), LocalDate.parse("2024-05-13"), "codec");
      assertNull(ColumnarScans.of(rowsOnly.queryExecution().executedPlan()));
    } finally {
      spark.conf().set("spark.sql.parquet.enableVectorizedReader", old);
    }
  }

  @Test
  void eachScanIsASqlQueryThatReadsOnlyItsColumns() throws Exception {
    List<String> plans = java.util.Collections.synchronizedList(new ArrayList<>());
    org.apache.spark.sql.util.QueryExecutionListener listener =
        new org.apache.spark.sql.util.QueryExecutionListener() {
          @Override
          public void onSuccess(
              String name, org.apache.spark.sql.execution.QueryExecution qe, long nanos) {
            plans.add(qe.executedPlan().toString());
          }

          @Override
          public void onFailure(
              String name, org.apache.spark.sql.execution.QueryExecution qe, Exception e) {}
        };
    spark.listenerManager().register(listener);
    try {
      report();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (scansOf(plans, "/sessions/").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      spark.listenerManager().unregister(listener);
    }
    List<String> sessions = scansOf(plans, "/sessions/");
    assertTrue(!sessions.isEmpty(), "a sessions scan is reported: " + plans);
    assertTrue(!scansOf(plans, "/tracks/").isEmpty(), "a tracks scan is reported");
    assertTrue(!scansOf(plans, "/events/").isEmpty(), "an events scan is reported");
    for (String scan : sessions) {
      assertTrue(!scan.contains("playback_url"), "sessions read only report columns: " + scan);
    }
  }

  private static List<String> scansOf(List<String> plans, String table) {
    List<String> out = new ArrayList<>();
    synchronized (plans) {
      for (String plan : plans) {
        for (String line : plan.split("\n")) {
          if (line.contains("FileScan parquet") && line.contains(table)) {
            out.add(line);
          }
        }
      }
    }
    return out;
  }

  @Test
  void percentilesMatchSparkPercentileDisc() {
    Random random = new Random(7);
    double[] ps = {0.5, 0.9, 0.95, 0.99};
    StructType schema =
        new StructType().add("g", DataTypes.IntegerType).add("v", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    List<LongCounts> counts = new ArrayList<>();
    int[] sizes = {1, 2, 3, 4, 5, 10, 19, 20, 21, 40, 99, 100, 101, 200, 1000, 2000};
    for (int g = 0; g < sizes.length; g++) {
      LongCounts c = new LongCounts();
      for (int i = 0; i < sizes[g]; i++) {
        long v = random.nextInt(g % 2 == 0 ? 50 : 1_000_000) - 20;
        rows.add(RowFactory.create(g, v));
        c.add(v);
      }
      rows.add(RowFactory.create(g, null));
      c.add((Long) null);
      counts.add(c);
    }
    spark.createDataFrame(rows, schema).createOrReplaceTempView("percentile_values");
    StringBuilder sql = new StringBuilder("SELECT g");
    for (double p : ps) {
      sql.append(String.format(Locale.ROOT, ", percentile_disc(%s) WITHIN GROUP (ORDER BY v)", p));
    }
    sql.append(" FROM percentile_values GROUP BY g ORDER BY g");
    List<Row> expected = spark.sql(sql.toString()).collectAsList();
    for (Row r : expected) {
      int g = r.getInt(0);
      for (int i = 0; i < ps.length; i++) {
        assertEquals(
            ((Number) r.get(i + 1)).longValue(),
            counts.get(g).percentileDisc(ps[i]),
            "p" + ps[i] + " of " + sizes[g] + " values");
      }
    }
    assertNull(new LongCounts().percentileDisc(0.5));
    assertNull(new LongCounts().max());
  }

  @Test
  void histogramsAndSessionSetsMergeAndSurviveSerialization() throws Exception {
    LongCounts a = new LongCounts();
    LongCounts b = new LongCounts();
    SessionKeys ka = new SessionKeys();
    SessionKeys kb = new SessionKeys();
    for (int i = 0; i < 5000; i++) {
      a.add((long) (i % 300));
      b.add((long) (i % 700) + 1000);
      ka.add("arn:aws:ivs:us-east-1:111122223333:channel/" + (i % 40), "st-" + i);
      kb.add("arn:aws:ivs:us-east-1:111122223333:channel/" + (i % 40), "st-" + (i + 2520));
    }
    ka.add(null, "st-1");
    ka.add("arn", null);
    // "ab" + "c" and "a" + "bc" are different sessions.
    ka.add("ab", "c");
    ka.add("a", "bc");
    LongCounts merged = roundTrip(a);
    merged.addAll(roundTrip(b));
    SessionKeys keys = roundTrip(ka);
    keys.addAll(roundTrip(kb));
    assertEquals(10_000, merged.total());
    assertEquals(1699L, merged.max());
    assertEquals(299L, merged.percentileDisc(0.5));
    assertEquals(5000 + 5000 - 2480 + 2, keys.size());
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
