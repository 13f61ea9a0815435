package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.testing.WithSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-runs, overlapping inputs and sessions that change partition keep one copy of each session. */
@WithSpark
class FlattenRerunTest {
  @TempDir Path tmp;
  static SparkSession spark;

  private Map<String, Long> counts(Path lake) {
    Map<String, Long> m = new HashMap<>();
    for (Table t : Schemas.TABLES) {
      Path dir = lake.resolve(t.dirName());
      m.put(
          t.dirName(),
          Files.exists(dir) ? spark.read().schema(t.schema()).parquet(dir.toString()).count() : 0L);
    }
    return m;
  }

  private long duplicateSessions(Path lake) {
    return spark
        .read()
        .parquet(lake.resolve("sessions").toString())
        .groupBy("channel_arn", "stream_id")
        .count()
        .filter("count > 1")
        .count();
  }

  @Test
  void runningTwiceGivesTheSameRows() throws Exception {
    Fixtures.install(tmp);
    Path lake = tmp.resolve("lake");
    List<String> in = List.of(tmp.resolve("analyst").toString(), tmp.resolve("raw").toString());
    FlattenStage.run(spark, in, lake.toString());
    Map<String, Long> first = counts(lake);
    var firstRows = spark.read().parquet(lake.resolve("events").toString()).collectAsList();
    FlattenResult again = FlattenStage.run(spark, in, lake.toString());
    assertEquals(first, counts(lake));
    assertEquals(0, again.fetchErrors(), "the same malformed inputs are not recorded twice");
    assertEquals(0, duplicateSessions(lake));
    assertEquals(
        new java.util.HashSet<>(firstRows),
        new java.util.HashSet<>(
            spark.read().parquet(lake.resolve("events").toString()).collectAsList()));
  }

  @Test
  void aSecondInputAddsToThePartitionInsteadOfReplacingIt() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    String legacy = Fixtures.text("legacy.json");
    Files.writeString(a.resolve("one.json"), legacy, StandardCharsets.UTF_8);
    Files.writeString(
        b.resolve("two.json"),
        legacy.replace("st-LegacyOnly000001", "st-LegacyOnly000002"),
        StandardCharsets.UTF_8);
    Path lake = tmp.resolve("lake");
    FlattenStage.run(spark, List.of(a.toString()), lake.toString());
    FlattenStage.run(spark, List.of(b.toString()), lake.toString());
    assertEquals(2, counts(lake).get("sessions"));
    assertEquals(4, counts(lake).get("tracks"));
  }

  @Test
  void aSessionWhoseStartMovedAppearsOnceAndItsOldPartitionGoes() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    String legacy = Fixtures.text("legacy.json");
    Path file = in.resolve("s.jsonl");
    Files.writeString(
        file,
        legacy
                .replaceAll("\\s*\\n\\s*", "")
                .replace(
                    "{\"streamSession\"",
                    "{\"fetchedAt\":\"2022-11-03T00:00:00Z\",\"streamSession\"")
            + "\n",
        StandardCharsets.UTF_8);
    Path lake = tmp.resolve("lake");
    FlattenStage.run(spark, List.of(in.toString()), lake.toString());
    assertTrue(Files.exists(lake.resolve("sessions/dt=2022-11-02")));
    // A later fetch of the same session with a different start (next UTC day).
    Files.writeString(
        file,
        legacy
                .replaceAll("\\s*\\n\\s*", "")
                .replace(
                    "\"startTime\": \"2022-11-02T09:00:00Z\"",
                    "\"startTime\": \"2022-11-03T00:30:00Z\"")
                .replace(
                    "\"endTime\": \"2022-11-02T10:00:59Z\"",
                    "\"endTime\": \"2022-11-03T01:00:00Z\"")
                .replace(
                    "{\"streamSession\"",
                    "{\"fetchedAt\":\"2022-11-04T00:00:00Z\",\"streamSession\"")
            + "\n",
        StandardCharsets.UTF_8);
    FlattenStage.run(spark, List.of(in.toString()), lake.toString());
    assertEquals(1, counts(lake).get("sessions"));
    assertEquals(2, counts(lake).get("tracks"));
    assertEquals(1, counts(lake).get("events"));
    assertFalse(Files.exists(lake.resolve("sessions/dt=2022-11-02")), "emptied partition removed");
    assertFalse(Files.exists(lake.resolve("tracks/dt=2022-11-02")));
    assertTrue(Files.exists(lake.resolve("sessions/dt=2022-11-03")));
  }

  @Test
  void anOlderFetchDoesNotReplaceANewerOne() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    String live = Fixtures.text("live.json").replaceAll("\\s*\\n\\s*", "");
    String ended =
        live.replace("\"startTime\"", "\"endTime\":\"2024-05-02T02:00:00Z\",\"startTime\"")
            .replace(
                "{\"streamSession\"", "{\"fetchedAt\":\"2024-05-02T03:00:00Z\",\"streamSession\"");
    String stillLive =
        live.replace(
            "{\"streamSession\"", "{\"fetchedAt\":\"2024-05-02T00:10:00Z\",\"streamSession\"");
    Path lake = tmp.resolve("lake");
    Files.writeString(in.resolve("x.jsonl"), ended + "\n", StandardCharsets.UTF_8);
    FlattenStage.run(spark, List.of(in.toString()), lake.toString());
    Files.writeString(in.resolve("x.jsonl"), stillLive + "\n", StandardCharsets.UTF_8);
    FlattenResult r = FlattenStage.run(spark, List.of(in.toString()), lake.toString());
    assertEquals(1, r.duplicates());
    var rows =
        spark.read().parquet(lake.resolve("sessions").toString()).select("is_live").collectAsList();
    assertEquals(1, rows.size());
    assertEquals(false, rows.get(0).getBoolean(0));
  }

  @Test
  void aSessionInStaticOverwriteModeLosesNoOtherPartition() throws Exception {
    String mode = "spark.sql.sources.partitionOverwriteMode";
    spark.conf().set(mode, "static");
    try {
      Path a = Files.createDirectories(tmp.resolve("a"));
      Path b = Files.createDirectories(tmp.resolve("b"));
      String legacy = Fixtures.text("legacy.json").replaceAll("\\s*\\n\\s*", "");
      Files.writeString(
          a.resolve("legacy.jsonl"),
          legacy.replace(
                  "{\"streamSession\"", "{\"fetchedAt\":\"2022-11-03T00:00:00Z\",\"streamSession\"")
              + "\n",
          StandardCharsets.UTF_8);
      Files.writeString(
          a.resolve("complete.json"), Fixtures.text("complete.json"), StandardCharsets.UTF_8);
      Path lake = tmp.resolve("lake");
      FlattenStage.run(spark, List.of(a.toString()), lake.toString());
      // A later fetch of the legacy session: its partition is rewritten, the other one stays.
      Files.writeString(
          b.resolve("legacy.jsonl"),
          legacy.replace(
                  "{\"streamSession\"", "{\"fetchedAt\":\"2022-11-04T00:00:00Z\",\"streamSession\"")
              + "\n",
          StandardCharsets.UTF_8);
      FlattenResult r = FlattenStage.run(spark, List.of(b.toString()), lake.toString());
      assertEquals(1, r.sessions());
      assertEquals(2, counts(lake).get("sessions"));
      assertEquals(4, counts(lake).get("tracks"));
      assertTrue(
          Files.exists(lake.resolve("sessions/dt=2023-06-26")),
          "the other partition is still there");
      assertTrue(Files.exists(lake.resolve("events/dt=2023-06-26")));
      assertEquals("static", spark.conf().get(mode), "the session's setting is left as it was");
    } finally {
      spark.conf().set(mode, "dynamic");
    }
  }

  @Test
  void theSummaryTellsWhatFetchErrorsHoldsIncludingFetchsOwnRows() throws Exception {
    Path lake = tmp.resolve("lake");
    // A row the fetch stage wrote for an id it could not fetch.
    spark
        .createDataFrame(
            List.of(
                org.apache.spark.sql.RowFactory.create(
                    "arn:aws:ivs:us-east-1:111122223333:channel/x",
                    "st-1",
                    "ResourceNotFoundException",
                    404,
                    "not found",
                    1,
                    java.sql.Timestamp.valueOf("2024-06-01 00:00:00"),
                    "2024-06-01")),
            Schemas.FETCH_ERRORS)
        .write()
        .partitionBy(Schemas.DT)
        .parquet(lake.resolve("fetch_errors").toString());
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(
        in.resolve("legacy.json"), Fixtures.text("legacy.json"), StandardCharsets.UTF_8);
    FlattenResult r = FlattenStage.run(spark, List.of(in.toString()), lake.toString());
    assertEquals(0, r.fetchErrors());
    assertEquals(1, r.fetchErrorsInTable());
    assertTrue(
        r.summary()
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "fetch_errors +1 rows in the table \\(0 added for malformed inputs\\)")),
        r.summary());
  }

  @Test
  void windowKeepsOnlySessionsStartingInIt() throws Exception {
    Fixtures.install(tmp);
    Path lake = tmp.resolve("lake");
    FlattenResult r =
        FlattenStage.run(
            spark,
            List.of(tmp.resolve("analyst").toString()),
            lake.toString(),
            java.time.LocalDate.parse("2024-01-01"),
            java.time.LocalDate.parse("2024-04-01"));
    assertEquals(2, r.sessions(), "unknown-fields (2024-02-29) and multitrack (2024-03-09)");
    assertEquals(3, r.outsideWindow());
    assertEquals(1, r.malformed());
  }
}
