package io.ivsanalytics.ingest;

import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The fetch_errors partition of the run date. A rerun on the same day replaces the rows of the ids
 * it requested and keeps the others, so the partition holds each id at most once.
 */
final class FetchErrorsTable {
  // Schemas before Schemas.Table: initializing the nested enum first fails (class-init cycle).
  private static final org.apache.spark.sql.types.StructType SCHEMA = Schemas.FETCH_ERRORS;
  private static final Table TABLE = Table.FETCH_ERRORS;

  /**
   * Rewrites {@code LAKE/fetch_errors/dt=<runDate>}: existing rows minus {@code requestedKeys},
   * plus {@code errors} (rows in {@link Schemas#FETCH_ERRORS} order without dt).
   */
  static void replace(
      SparkSession spark,
      LakeFs fs,
      String lakeRoot,
      LocalDate runDate,
      Set<String> requestedKeys,
      List<Row> errors) {
    String tableDir = TABLE.dir(lakeRoot);
    String partDir = LakePaths.partition(tableDir, runDate);
    List<Row> rows = new ArrayList<>();
    try {
      if (fs.isDirectory(partDir)) {
        // Collected first: the partition is rewritten below and cannot be read lazily while
        // overwritten.
        for (Row r : spark.read().schema(TABLE.fileSchema()).parquet(partDir).collectAsList()) {
          if (!requestedKeys.contains(FetchId.key(r.getString(0), r.getString(1)))) {
            rows.add(r);
          }
        }
      }
      rows.addAll(errors);
      if (rows.isEmpty()) {
        fs.delete(partDir);
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + partDir, e);
    }
    String dt = runDate.toString();
    List<Row> withDt = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object[] v = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        v[i] = r.get(i);
      }
      v[r.length()] = dt;
      withDt.add(RowFactory.create(v));
    }
    Dataset<Row> df = spark.createDataFrame(withDt, SCHEMA).coalesce(1);
    df.write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Schemas.DT)
        .parquet(tableDir);
  }

  private FetchErrorsTable() {}
}
