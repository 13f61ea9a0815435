package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import io.ivsanalytics.simulator.RawArchiveGenerator;
import io.ivsanalytics.testing.WithSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one pass writes files identical in schema and metadata to a Spark DataFrame write of the same
 * rows, and the same rows as the pure DataFrame transform ({@link FlattenStage#parseLines}, {@link
 * FlattenStage#tables}) computes from the same lines.
 */
@WithSpark
class OnePassTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path raw;
  static Path lake;
  static FlattenResult result;

  @BeforeAll
  static void flatten() throws IOException {
    RawArchiveGenerator.Result r =
        RawArchiveGenerator.generate(
            tmp.resolve("archive"),
            300,
            11,
            RawArchiveGenerator.Options.defaults()
                .withAnchor(Instant.parse("2024-06-01T00:00:00Z"))
                .withDays(3));
    raw = r.rawDir();
    Files.writeString(
        raw.resolve("dt=2024-05-31").resolve("part-bad.jsonl"),
        "{\"streamSession\": {\"streamId\": \"st-truncated\"\n{\"notASession\": 1}\n",
        StandardCharsets.UTF_8);
    lake = tmp.resolve("lake");
    result = FlattenStage.run(spark, List.of(raw.toString()), lake.toString());
  }

  @Test
  void sameRowsAsThePureDataFrameTransform() {
    assertEquals(300, result.sessions());
    assertTrue(result.events() > 0 && result.tracks() > 0 && result.recordingSettings() > 0);
    assertEquals(2, result.malformed());
    assertEquals(2, result.fetchErrors());
    assertEquals(0, result.duplicates());
    Dataset<String> lines =
        spark
            .read()
            .textFile(raw.toString() + "/*/*")
            .filter((org.apache.spark.api.java.function.FilterFunction<String>) s -> !s.isBlank());
    FlattenStage.Tables expected =
        FlattenStage.tables(
            FlattenStage.parseLines(lines, Instant.EPOCH), LocalDate.now(ZoneOffset.UTC));
    for (Table t : Schemas.TABLES) {
      Dataset<Row> a =
          comparable(
              spark.read().schema(t.schema()).parquet(lake.resolve(t.dirName()).toString()), t);
      Dataset<Row> b = comparable(expected.get(t), t);
      assertEquals(b.count(), a.count(), t.dirName());
      assertEquals(0, a.exceptAll(b).count(), t.dirName() + ": rows only in the lake");
      assertEquals(0, b.exceptAll(a).count(), t.dirName() + ": rows only in the transform");
    }
  }

  @Test
  void sameParquetSchemaAndMetadataAsSparksWriter() throws IOException {
    for (Table t : Schemas.TABLES) {
      Path dfWrite = tmp.resolve("dataframe-write").resolve(t.dirName());
      spark
          .read()
          .schema(t.schema())
          .parquet(lake.resolve(t.dirName()).toString())
          .write()
          .partitionBy(Schemas.DT)
          .parquet(dfWrite.toString());
      FileMetaData a = footer(firstFile(lake.resolve(t.dirName())));
      FileMetaData b = footer(firstFile(dfWrite));
      assertEquals(b.getSchema(), a.getSchema(), t.dirName());
      assertEquals(b.getKeyValueMetaData(), a.getKeyValueMetaData(), t.dirName());
      assertFalse(a.getSchema().containsField(Schemas.DT), t.dirName() + " files hold dt");
      assertTrue(
          firstFile(lake.resolve(t.dirName()))
              .getFileName()
              .toString()
              .endsWith(".snappy.parquet"));
      assertEquals(b.getSchema().toString(), a.getSchema().toString());
      assertTrue(Files.exists(lake.resolve(t.dirName()).resolve("_SUCCESS")));
    }
  }

  @Test
  void noStagingLeftAndAnUncommittedStagingIsRolledBack() throws IOException {
    assertFalse(Files.exists(lake.resolve(FlattenStage.STAGING)));
    Path other = tmp.resolve("lake-killed");
    Path killed =
        other.resolve(FlattenStage.STAGING).resolve("killed-run/pass/sessions/dt=2024-05-30");
    Files.createDirectories(killed);
    Files.writeString(
        killed.resolve("part-00000-x.snappy.parquet"), "partial", StandardCharsets.UTF_8);
    Files.writeString(
        other.resolve(FlattenStage.STAGING).resolve("killed-run/_manifest.json"),
        "{\"run\": \"killed-run\", \"mov",
        StandardCharsets.UTF_8);
    FlattenStage.run(spark, List.of(raw.toString()), other.toString());
    assertFalse(Files.exists(other.resolve(FlattenStage.STAGING)));
    assertEquals(300, spark.read().parquet(other.resolve("sessions").toString()).count());
  }

  @Test
  void repeatedKeysInTheInputAreRankedOnAFreshLake() throws IOException {
    Path copy = tmp.resolve("raw-copy");
    try (Stream<Path> s = Files.walk(raw)) {
      for (Path p : s.toList()) {
        Files.copy(p, copy.resolve(raw.relativize(p).toString()));
      }
    }
    Path twice = tmp.resolve("lake-twice");
    FlattenResult r =
        FlattenStage.run(spark, List.of(raw.toString(), copy.toString()), twice.toString());
    // Every session appears twice (same fetchedAt): one copy is kept.
    assertEquals(300, r.sessions());
    assertEquals(300, r.duplicates());
    assertEquals(result.tracks(), r.tracks());
    assertFalse(Files.exists(twice.resolve(FlattenStage.STAGING)));
    assertEquals(300, spark.read().parquet(twice.resolve("sessions").toString()).count());
    // The bad file and its copy: errors naming different files.
    assertEquals(4, spark.read().parquet(twice.resolve("fetch_errors").toString()).count());
    assertEquals(result.events(), spark.read().parquet(twice.resolve("events").toString()).count());
  }

  @Test
  void theSessionKeyHashTellsKeysApartThatConcatenateAlike() {
    long h = MergePlan.keyHash("arn:aws:ivs:us-west-2:123456789012:channel/abc", "st-1");
    assertEquals(h, MergePlan.keyHash("arn:aws:ivs:us-west-2:123456789012:channel/abc", "st-1"));
    assertNotEquals(h, MergePlan.keyHash("arn:aws:ivs:us-west-2:123456789012:channel/abcs", "t-1"));
    assertNotEquals(MergePlan.keyHash(null, "st-1"), MergePlan.keyHash("", "st-1"));
    assertNotEquals(MergePlan.keyHash("a", null), MergePlan.keyHash("a", ""));
    assertNotEquals(MergePlan.keyHash("é", "x"), MergePlan.keyHash("e", "x"));
  }

  /**
   * The pass's key hash is Spark's {@code xxhash64} of the two columns, which hashes the lake's
   * keys: for strings of every length class of the algorithm (under 4, 8 and 32 bytes, and past
   * 32), ASCII and not, and for null.
   */
  @Test
  void theSessionKeyHashIsSparksXxhash64() {
    Random r = new Random(5);
    List<Row> keys = new ArrayList<>();
    String letters = "ab:/-0é€😀";
    for (int i = 0; i < 400; i++) {
      StringBuilder arn = new StringBuilder();
      StringBuilder sid = new StringBuilder();
      int n = r.nextInt(90);
      for (int k = 0; k < n; k++) {
        arn.appendCodePoint(letters.codePointAt(letters.offsetByCodePoints(0, r.nextInt(9))));
      }
      for (int k = r.nextInt(40); k > 0; k--) {
        sid.append((char) ('0' + r.nextInt(40)));
      }
      keys.add(RowFactory.create(i % 50 == 0 ? null : arn.toString(), sid.toString()));
    }
    StructType schema =
        new StructType()
            .add("channel_arn", DataTypes.StringType)
            .add("stream_id", DataTypes.StringType);
    List<Row> hashed =
        spark
            .createDataFrame(keys, schema)
            .select(
                col("channel_arn"),
                col("stream_id"),
                MergePlan.keyHash(col("channel_arn"), col("stream_id")))
            .collectAsList();
    assertEquals(keys.size(), hashed.size());
    for (Row h : hashed) {
      assertEquals(h.getLong(2), MergePlan.keyHash(h.getString(0), h.getString(1)), h.toString());
    }
  }

  /**
   * Maps as sorted entry arrays (set operations do not take maps); an error row's message names its
   * input and its fetched_at is the input's fallback: both differ by design.
   */
  private static Dataset<Row> comparable(Dataset<Row> d, Table t) {
    for (StructField f : d.schema().fields()) {
      if (f.dataType() instanceof MapType) {
        d = d.withColumn(f.name(), array_sort(map_entries(col(f.name()))));
      }
    }
    return t == Table.FETCH_ERRORS ? d.drop("message", "fetched_at") : d;
  }

  private static Path firstFile(Path tableDir) throws IOException {
    try (Stream<Path> s = Files.walk(tableDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-"))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  private static FileMetaData footer(Path file) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return r.getFooter().getFileMetaData();
    }
  }
}
