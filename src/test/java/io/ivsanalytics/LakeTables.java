package io.ivsanalytics;

import static org.apache.spark.sql.functions.col;

import io.ivsanalytics.model.Schemas.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The lake's tables as comparable text: one sorted line per row. */
public final class LakeTables {

  /** Rows of {@code table} under {@code lake}, without the columns in {@code ignore}, sorted. */
  public static List<String> rows(SparkSession spark, Path lake, Table table, String... ignore) {
    Path dir = lake.resolve(table.dirName());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    return rows(spark, dir.toString(), table, ignore);
  }

  /**
   * As {@link #rows(SparkSession, Path, Table, String...)} for a lake at any Hadoop URI ({@code
   * s3a://...}), through the session's Hadoop configuration.
   */
  public static List<String> rows(SparkSession spark, String lake, Table table, String... ignore) {
    String dir = lake.endsWith("/" + table.dirName()) ? lake : lake + "/" + table.dirName();
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        return List.of();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Dataset<Row> df = spark.read().schema(table.schema()).parquet(dir);
    List<String> skip = Arrays.asList(ignore);
    List<Column> keep = new ArrayList<>();
    for (String c : df.columns()) {
      if (!skip.contains(c)) {
        keep.add(col(c));
      }
    }
    List<String> out = new ArrayList<>();
    for (Row r : df.select(keep.toArray(Column[]::new)).collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  /** Fails with the first differing rows of each table when the two sets of tables differ. */
  public static <K> void assertSame(
      java.util.Map<K, List<String>> expected, java.util.Map<K, List<String>> actual, String what) {
    StringBuilder diff = new StringBuilder();
    for (K table : expected.keySet()) {
      List<String> e = expected.get(table);
      List<String> a = actual.getOrDefault(table, List.of());
      if (!e.equals(a)) {
        List<String> missing = new ArrayList<>(e);
        missing.removeAll(a);
        List<String> extra = new ArrayList<>(a);
        extra.removeAll(e);
        diff.append(
            String.format(
                java.util.Locale.ROOT,
                "%s: %d rows expected, %d found; missing %s; extra %s%n",
                table,
                e.size(),
                a.size(),
                missing.subList(0, Math.min(2, missing.size())),
                extra.subList(0, Math.min(2, extra.size()))));
      }
    }
    if (diff.length() > 0) {
      throw new AssertionError(what + "\n" + diff);
    }
  }

  /** The number of rows minus the number of distinct rows: duplicates. */
  public static long duplicates(List<String> rows) {
    return rows.size() - rows.stream().distinct().count();
  }

  private LakeTables() {}
}
