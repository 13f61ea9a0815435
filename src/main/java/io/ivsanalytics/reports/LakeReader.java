package io.ivsanalytics.reports;

import static org.apache.spark.sql.functions.col;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads lake tables for a report: with the declared schema (never inferred), only the columns asked
 * for, and only the {@code dt=} partition directories of the dates asked for. A table or partition
 * that does not exist reads as no rows.
 */
final class LakeReader {
  private final SparkSession spark;
  private final String lake;
  private final LakeFs fs;

  LakeReader(SparkSession spark, String lake) {
    this.spark = spark;
    this.fs = LakeFs.onDriver(spark);
    this.lake = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
  }

  /** Rows of {@code table} with {@code from <= dt < to}, projected to {@code columns}. */
  Dataset<Row> read(Table table, LocalDate from, LocalDate to, String... columns) {
    String root = table.dir(lake);
    List<String> paths = new ArrayList<>();
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      String p = LakePaths.partition(root, d);
      if (exists(p)) {
        paths.add(p);
      }
    }
    if (paths.isEmpty()) {
      return spark.createDataFrame(List.of(), project(table.schema(), columns));
    }
    Column[] cols =
        Arrays.stream(columns).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return spark
        .read()
        .schema(table.schema())
        .option("basePath", root)
        .parquet(paths.toArray(String[]::new))
        .where(col(Schemas.DT).geq(from.toString()).and(col(Schemas.DT).lt(to.toString())))
        .select(cols);
  }

  private boolean exists(String path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }

  static StructType project(StructType schema, String... columns) {
    StructField[] fields = new StructField[columns.length];
    for (int i = 0; i < columns.length; i++) {
      fields[i] = schema.apply(columns[i]);
    }
    return new StructType(fields);
  }
}
