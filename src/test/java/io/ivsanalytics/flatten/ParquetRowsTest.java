package io.ivsanalytics.flatten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ivsanalytics.testing.WithSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RowFileWriter} writes the file parquet-mr's own {@link ParquetWriter} writes with its
 * default settings (same schema, footer keys, and per column chunk the same value count,
 * statistics, codec, encodings and dictionary page), for rows like the child tables': session
 * strings repeated as one instance over consecutive rows, nulls, a list, a map, a struct,
 * timestamps, several pages per column, columns whose dictionary falls back to plain encoding, and
 * several row groups. Spark's vectorized and record readers read back exactly the rows written, and
 * DuckDB, a reader of its own, reads the same values from both files.
 */
@WithSpark
class ParquetRowsTest {
  static SparkSession spark;
  @TempDir Path tmp;

  static final StructType SCHEMA =
      new StructType()
          .add("seq", DataTypes.LongType)
          .add("channel_arn", DataTypes.StringType)
          .add("stream_id", DataTypes.StringType)
          .add("channel_type", DataTypes.StringType)
          .add("event_index", DataTypes.IntegerType)
          .add("event_time", DataTypes.TimestampType)
          .add("name", DataTypes.StringType)
          .add("code", DataTypes.StringType)
          .add("live", DataTypes.BooleanType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType, true))
          .add("attrs", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true))
          .add(
              "detail",
              new StructType()
                  .add("label", DataTypes.StringType)
                  .add("level", DataTypes.IntegerType))
          // a small set of values first, then distinct long strings: dictionary pages, then plain
          .add("note", DataTypes.StringType)
          // distinct long strings from the start: the dictionary is dropped in the first page
          .add("blob", DataTypes.StringType);

  private static final String[] NAMES = {
    "Session Created", "Stream Start", "Stream End", "Session Ended", "Recording Start"
  };
  private static final String[] TAGS = {"a", "bb", "ccc"};

  /** {@code n} rows, sessions of 1 to 40 events sharing their session strings as one instance. */
  static List<Object[]> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>(n);
    long time = 1_717_200_000_000L;
    String arn = null;
    String stream = null;
    String type = null;
    Object[] detail = null;
    int left = 0;
    int session = 0;
    for (int i = 0; i < n; i++) {
      if (left == 0) {
        session++;
        left = 1 + r.nextInt(40);
        arn =
            String.format(
                Locale.ROOT,
                "arn:aws:ivs:us-west-2:123456789012:channel/%012d%08x",
                session % 997,
                r.nextInt());
        stream = String.format(Locale.ROOT, "st-%017d", r.nextLong() & Long.MAX_VALUE);
        type = r.nextBoolean() ? "STANDARD" : "BASIC";
        detail = r.nextInt(5) == 0 ? null : new Object[] {"session-" + session % 7, session};
      }
      left--;
      time += r.nextInt(5_000);
      Object[] tags =
          switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> new Object[0];
            default -> new Object[] {TAGS[r.nextInt(3)], null, TAGS[r.nextInt(3)]};
          };
      Map<String, String> attrs = new LinkedHashMap<>();
      if (r.nextBoolean()) {
        attrs.put("k" + r.nextInt(3), r.nextInt(3) == 0 ? null : "v" + r.nextInt(50));
        attrs.put("z", "zz");
      }
      rows.add(
          new Object[] {
            (long) i,
            r.nextInt(50) == 0 ? null : arn,
            stream,
            type,
            i,
            new Timestamp(time),
            NAMES[r.nextInt(NAMES.length)],
            r.nextInt(3) == 0 ? null : "E" + r.nextInt(20),
            r.nextInt(4) == 0 ? null : r.nextBoolean(),
            tags,
            r.nextInt(5) == 0 ? null : attrs,
            detail,
            i < n / 2 ? NAMES[r.nextInt(NAMES.length)] : distinct("note", i, 120),
            distinct("blob", i, 200)
          });
    }
    return rows;
  }

  private static String distinct(String prefix, int i, int length) {
    StringBuilder b = new StringBuilder(length).append(prefix).append('-').append(i).append('-');
    while (b.length() < length) {
      b.append((char) ('a' + (b.length() * 7 + i) % 26));
    }
    return b.toString();
  }

  @Test
  void theFileParquetWriterWritesAndEveryReaderReadsTheRows() throws Exception {
    List<Object[]> rows = rows(60_000, 7);
    ParquetRows.Settings settings = ParquetRows.Settings.of(spark);
    Path[] files = writeBoth(rows, settings, ParquetWriter.DEFAULT_BLOCK_SIZE, "default");

    ParquetMetadata reference = metadata(files[0]);
    ParquetMetadata ours = metadata(files[1]);
    assertEquals(reference.getFileMetaData().getSchema(), ours.getFileMetaData().getSchema());
    assertEquals(
        reference.getFileMetaData().getKeyValueMetaData(),
        ours.getFileMetaData().getKeyValueMetaData());
    assertEquals(1, ours.getBlocks().size());
    sameChunks(reference.getBlocks().get(0), ours.getBlocks().get(0));

    BlockMetaData block = ours.getBlocks().get(0);
    EncodingStats arn = column(block, "channel_arn").getEncodingStats();
    assertTrue(arn.hasDictionaryEncodedPages() && !arn.hasNonDictionaryEncodedPages());
    EncodingStats note = column(block, "note").getEncodingStats();
    assertTrue(note.hasDictionaryEncodedPages() && note.hasNonDictionaryEncodedPages());
    EncodingStats blob = column(block, "blob").getEncodingStats();
    assertTrue(!blob.hasDictionaryEncodedPages() && blob.hasNonDictionaryEncodedPages());
    try (ParquetFileReader reader = reader(files[1])) {
      ColumnChunkMetaData c = column(block, "channel_arn");
      int pages = reader.readOffsetIndex(c).getPageCount();
      assertTrue(pages > 1, pages + " pages");
      assertEquals(pages, reader.readColumnIndex(c).getMinValues().size());
    }
    readersAgree(rows, files);
  }

  @Test
  void manyRowGroupsAndCodecs() throws Exception {
    List<Object[]> rows = rows(40_000, 11);
    String version = ParquetRows.Settings.of(spark).sparkVersion();
    for (String codec : List.of("snappy", "uncompressed", "gzip")) {
      ParquetRows.Settings settings = new ParquetRows.Settings(codec, version);
      Path[] files = writeBoth(rows, settings, 256 * 1024, codec);
      List<BlockMetaData> blocks = metadata(files[1]).getBlocks();
      assertTrue(blocks.size() > 3, codec + ": row groups");
      for (BlockMetaData b : blocks) {
        for (ColumnChunkMetaData c : b.getColumns()) {
          assertEquals(settings.codecName(), c.getCodec(), codec);
        }
      }
      readersAgree(rows, files);
    }
  }

  @Test
  void nullsEmptyListsAndMapsAndOneValueColumns() throws Exception {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      Object[] r = new Object[SCHEMA.size()];
      r[0] = (long) i;
      r[3] = "ONLY";
      r[9] = i % 3 == 0 ? new Object[0] : i % 3 == 1 ? null : new Object[] {null};
      r[10] = i % 2 == 0 ? Map.of() : null;
      r[11] = i % 2 == 0 ? new Object[] {null, null} : null;
      rows.add(r);
    }
    Path[] files =
        writeBoth(rows, ParquetRows.Settings.of(spark), ParquetWriter.DEFAULT_BLOCK_SIZE, "nulls");
    sameChunks(metadata(files[0]).getBlocks().get(0), metadata(files[1]).getBlocks().get(0));
    readersAgree(rows, files);
  }

  @Test
  void aFailedWriteLeavesNoReadableFile() throws IOException {
    Path file = tmp.resolve("failed.parquet");
    RowFileWriter w =
        ParquetRows.open(
            new Configuration(),
            new org.apache.hadoop.fs.Path(file.toUri()),
            SCHEMA,
            ParquetRows.Settings.of(spark));
    List<Object[]> rows = rows(100, 3);
    w.write(rows.get(0));
    Object[] bad = rows.get(1).clone();
    bad[4] = "not an int";
    assertThrows(ClassCastException.class, () -> w.write(bad));
    w.close();
    assertTrue(Files.size(file) < 100, Files.size(file) + " bytes");
    assertThrows(Exception.class, () -> reader(file).close(), "a file without footer");
  }

  /**
   * The column chunks hold the same values by every measure the footer keeps: count, statistics
   * (min, max, nulls), codec, encodings and whether a dictionary page leads the chunk.
   */
  private static void sameChunks(BlockMetaData reference, BlockMetaData ours) {
    assertEquals(reference.getRowCount(), ours.getRowCount());
    assertEquals(reference.getColumns().size(), ours.getColumns().size());
    for (int i = 0; i < ours.getColumns().size(); i++) {
      ColumnChunkMetaData r = reference.getColumns().get(i);
      ColumnChunkMetaData o = ours.getColumns().get(i);
      String name = o.getPath().toDotString();
      assertEquals(r.getPath(), o.getPath());
      assertEquals(r.getValueCount(), o.getValueCount(), name);
      assertEquals(r.getStatistics(), o.getStatistics(), name);
      assertEquals(r.getCodec(), o.getCodec(), name);
      assertEquals(r.getEncodings(), o.getEncodings(), name);
      assertEquals(r.hasDictionaryPage(), o.hasDictionaryPage(), name);
    }
  }

  /**
   * Spark's vectorized and record readers and DuckDB read the rows written: Spark returns exactly
   * the rows given, and DuckDB reads the same from both files.
   */
  private void readersAgree(List<Object[]> rows, Path[] files) throws Exception {
    List<Row> expected =
        spark
            .createDataFrame(rows.stream().map(ParquetRowsTest::row).toList(), SCHEMA)
            .orderBy("seq")
            .collectAsList();
    String key = "spark.sql.parquet.enableVectorizedReader";
    try {
      for (String vectorized : List.of("true", "false")) {
        spark.conf().set(key, vectorized);
        for (Path f : files) {
          Dataset<Row> read = spark.read().parquet(f.toString());
          assertEquals(SCHEMA, read.schema());
          sameRows(expected, read.orderBy("seq").collectAsList(), f + " vectorized " + vectorized);
        }
      }
    } finally {
      spark.conf().unset(key);
    }
    sameRows(duck(files[0]), duck(files[1]), "DuckDB");
  }

  /** The first row that differs, if any, named with its position. */
  private static <T> void sameRows(List<T> expected, List<T> read, String what) {
    for (int i = 0; i < Math.min(expected.size(), read.size()); i++) {
      assertEquals(expected.get(i), read.get(i), what + ": row " + i);
    }
    assertEquals(expected.size(), read.size(), what + ": rows");
  }

  /** Every value of the file as DuckDB reads and prints it, row by row in {@code seq} order. */
  private static List<List<String>> duck(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet('"
                    + file
                    + "') ORDER BY seq")) {
      List<List<String>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  /** Writes {@code rows} with parquet-mr's ParquetWriter (the first file) and ours (the second). */
  private Path[] writeBoth(
      List<Object[]> rows, ParquetRows.Settings settings, long rowGroupSize, String tag)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path old = tmp.resolve(tag + "-parquet-writer" + settings.extension());
    Path ours = tmp.resolve(tag + "-row-file-writer" + settings.extension());
    try (ParquetWriter<Object[]> w =
        new ParquetMrRows.Builder(
                HadoopOutputFile.fromPath(hadoopPath(old), conf), SCHEMA, settings.sparkVersion())
            .withConf(conf)
            .withCompressionCodec(settings.codecName())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withRowGroupSize(rowGroupSize)
            .build()) {
      for (Object[] row : rows) {
        w.write(row);
      }
    }
    try (RowFileWriter w =
        new RowFileWriter(
            conf,
            hadoopPath(ours),
            SCHEMA,
            settings.sparkVersion(),
            settings.codecName(),
            rowGroupSize)) {
      for (Object[] row : rows) {
        w.write(row);
      }
    }
    return new Path[] {old, ours};
  }

  /** The row as Spark's external types: lists as Java lists, structs as rows. */
  private static Row row(Object[] v) {
    Object[] out = v.clone();
    out[9] = v[9] == null ? null : Arrays.asList((Object[]) v[9]);
    out[11] = v[11] == null ? null : RowFactory.create((Object[]) v[11]);
    return RowFactory.create(out);
  }

  private static ParquetMetadata metadata(Path file) throws IOException {
    try (ParquetFileReader reader = reader(file)) {
      return reader.getFooter();
    }
  }

  private static ColumnChunkMetaData column(BlockMetaData block, String name) {
    for (ColumnChunkMetaData c : block.getColumns()) {
      if (c.getPath().toDotString().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name);
  }

  private static ParquetFileReader reader(Path file) throws IOException {
    return ParquetFileReader.open(inputFile(file));
  }

  private static HadoopInputFile inputFile(Path file) throws IOException {
    return HadoopInputFile.fromPath(hadoopPath(file), new Configuration());
  }

  private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
    return new org.apache.hadoop.fs.Path(file.toUri());
  }
}
