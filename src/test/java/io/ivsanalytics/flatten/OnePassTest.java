package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.TestSpark;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass write of a lake without sessions gives the same files (schema, Parquet types,
 * metadata) and rows as the rank-and-merge path, which writes through Spark's DataFrame writer.
 */
class OnePassTest {
  @TempDir static Path tmp;
  static final SparkSession spark = TestSpark.session();
  static Path raw;
  static Path onePass;
  static Path merged;
  static FlattenResult onePassResult;
  static FlattenResult mergedResult;

  @BeforeAll
  static void flattenBothWays() {
    RawArchiveGenerator.Result r = RawArchiveGenerator.generate(tmp.resolve("archive"), 300, 11,
        RawArchiveGenerator.Options.defaults().withAnchor(Instant.parse("2024-06-01T00:00:00Z")).withDays(3));
    raw = r.rawDir();
    try {
      Files.writeString(raw.resolve("dt=2024-05-31").resolve("part-bad.jsonl"),
          "{\"streamSession\": {\"streamId\": \"st-truncated\"\n{\"notASession\": 1}\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    onePass = tmp.resolve("lake-one-pass");
    merged = tmp.resolve("lake-merged");
    onePassResult = FlattenStage.run(spark, List.of(raw.toString()), onePass.toString());
    mergedResult = FlattenStage.run(spark, List.of(raw.toString()), merged.toString(), null, null, false);
  }

  @Test
  void sameCountsAndRowsAsTheMergePath() {
    assertEquals(mergedResult, onePassResult);
    assertEquals(300, onePassResult.sessions());
    assertTrue(onePassResult.events() > 0 && onePassResult.tracks() > 0 && onePassResult.recordingSettings() > 0);
    assertEquals(2, onePassResult.malformed());
    assertEquals(2, onePassResult.fetchErrors());
    for (Table t : List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS, Table.FETCH_ERRORS)) {
      Dataset<Row> a = comparable(spark.read().schema(t.schema()).parquet(onePass.resolve(t.dirName()).toString()));
      Dataset<Row> b = comparable(spark.read().schema(t.schema()).parquet(merged.resolve(t.dirName()).toString()));
      assertEquals(b.count(), a.count(), t.dirName());
      assertEquals(0, a.exceptAll(b).count(), t.dirName() + ": rows only in the one-pass lake");
      assertEquals(0, b.exceptAll(a).count(), t.dirName() + ": rows only in the merged lake");
    }
  }

  @Test
  void sameParquetSchemaAndMetadataAsSparksWriter() throws IOException {
    for (Table t : List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS)) {
      FileMetaData a = footer(firstFile(onePass.resolve(t.dirName())));
      FileMetaData b = footer(firstFile(merged.resolve(t.dirName())));
      assertEquals(b.getSchema(), a.getSchema(), t.dirName());
      assertEquals(b.getKeyValueMetaData(), a.getKeyValueMetaData(), t.dirName());
      assertFalse(a.getSchema().containsField(Schemas.DT), t.dirName() + " files hold dt");
      assertTrue(firstFile(onePass.resolve(t.dirName())).getFileName().toString().endsWith(".snappy.parquet"));
      assertTrue(Files.exists(onePass.resolve(t.dirName()).resolve("_SUCCESS")));
    }
  }

  @Test
  void noStagingLeftAndStaleStagingRemoved() throws IOException {
    assertFalse(Files.exists(onePass.resolve(FlattenStage.STAGING)));
    Path lake = tmp.resolve("lake-stale");
    Path stale = lake.resolve(FlattenStage.STAGING).resolve("killed-run/sessions/dt=2024-05-30");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("part-00000-x.snappy.parquet"), "partial", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(stale.getParent().getParent(), FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
    FlattenStage.run(spark, List.of(raw.toString()), lake.toString());
    assertFalse(Files.exists(lake.resolve(FlattenStage.STAGING)));
    assertEquals(300, spark.read().parquet(lake.resolve("sessions").toString()).count());
  }

  @Test
  void repeatedKeysInTheInputAreRankedOnAFreshLake() throws IOException {
    Path copy = tmp.resolve("raw-copy");
    try (Stream<Path> s = Files.walk(raw)) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(raw.relativize(p).toString()));
      }
    }
    Path lake = tmp.resolve("lake-twice");
    FlattenResult r = FlattenStage.run(spark, List.of(raw.toString(), copy.toString()), lake.toString());
    // Every session appears twice (same fetchedAt): one copy is kept.
    assertEquals(300, r.sessions());
    assertEquals(300, r.duplicates());
    assertFalse(Files.exists(lake.resolve(FlattenStage.STAGING)));
    assertEquals(300, spark.read().parquet(lake.resolve("sessions").toString()).count());
    // The bad file and its copy: errors naming different files.
    assertEquals(4, spark.read().parquet(lake.resolve("fetch_errors").toString()).count());
    assertEquals(onePassResult.events(), spark.read().parquet(lake.resolve("events").toString()).count());
  }

  /** Maps as sorted entry arrays: set operations do not take map columns. */
  private static Dataset<Row> comparable(Dataset<Row> d) {
    for (StructField f : d.schema().fields()) {
      if (f.dataType() instanceof MapType) {
        d = d.withColumn(f.name(), array_sort(map_entries(col(f.name()))));
      }
    }
    return d;
  }

  private static Path firstFile(Path tableDir) throws IOException {
    try (Stream<Path> s = Files.walk(tableDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().findFirst().orElseThrow();
    }
  }

  private static FileMetaData footer(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return r.getFooter().getFileMetaData();
    }
  }
}
