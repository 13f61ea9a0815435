package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Turns a run's staged files and its {@link MergePlan} into the manifest {@link LakeCommit}
 * publishes: staged files become moves into their table partitions; a partition to rewrite is
 * staged again as its current rows without the batch's winning keys (its current files become
 * deletes); malformed-input rows not yet in {@code fetch_errors} are staged for the run date.
 */
final class MergeWriter {
  private final SparkSession spark;
  private final LakeFiles files;
  private final String lakeDir;
  private final String staging;
  private final LocalDate runDate;
  private final List<LakeCommit.Move> moves = new ArrayList<>();
  private final List<String> deletes = new ArrayList<>();
  private final Set<String> tables = new LinkedHashSet<>();

  MergeWriter(
      SparkSession spark, LakeFiles files, String lakeDir, String staging, LocalDate runDate) {
    this.spark = spark;
    this.files = files;
    this.lakeDir = lakeDir;
    this.staging = staging;
    this.runDate = runDate;
  }

  /**
   * Per data table: the staged files move into their partitions, then the partitions the plan names
   * are rewritten.
   */
  void dataTables(Map<Table, List<String>> staged, MergePlan plan) {
    for (Table t : MergePlan.DATA_TABLES) {
      String tableDir = t.dir(lakeDir);
      for (String f : staged.getOrDefault(t, List.of())) {
        moves.add(moveInto(f, LakePaths.partition(tableDir, StagedWrite.dtOf(f))));
        tables.add(tableDir);
      }
      Set<String> dts = plan.rewrite.getOrDefault(t, Set.of());
      if (!dts.isEmpty()) {
        rewrite(t, dts, plan);
        tables.add(tableDir);
      }
    }
  }

  /**
   * Stages the malformed-input rows that {@code fetch_errors} does not hold yet; returns how many.
   */
  long errors(List<String> stagedFiles) {
    long added = stageErrors(stagedFiles);
    if (added > 0) {
      tables.add(Table.FETCH_ERRORS.dir(lakeDir));
    }
    return added;
  }

  /** What the run publishes. */
  LakeCommit.Manifest manifest(String runId) {
    return new LakeCommit.Manifest(runId, moves, deletes, tables);
  }

  int moveCount() {
    return moves.size();
  }

  int deleteCount() {
    return deletes.size();
  }

  /**
   * Stages each partition as its current rows without every key of the batch; the current files
   * become deletes, the rewritten ones moves. A partition left with no rows just goes.
   */
  private void rewrite(Table t, Set<String> dts, MergePlan plan) {
    String tableDir = t.dir(lakeDir);
    List<String> current = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (String dt : dts) {
      List<String> f = files.dataFiles(LakePaths.partition(tableDir, dt));
      if (!f.isEmpty()) {
        current.addAll(f);
        present.add(dt);
      }
    }
    if (current.isEmpty()) {
      return;
    }
    spark.sparkContext().setJobDescription("flatten: rewrite " + t.dirName() + " " + present);
    Dataset<Row> old =
        spark
            .read()
            .schema(t.schema())
            .option("basePath", tableDir)
            .parquet(current.toArray(String[]::new));
    String out = LakePaths.child(LakePaths.child(staging, "rewrite"), t.dirName());
    Dataset<Row> winners = plan.winnerKeys();
    old.join(winners, MergePlan.keyMatch(old, winners), "left_anti")
        .repartition(col(Schemas.DT))
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Schemas.DT)
        .parquet(out);
    for (String dt : present) {
      for (String f : files.dataFiles(LakePaths.partition(out, dt))) {
        moves.add(moveInto(f, LakePaths.partition(tableDir, dt)));
      }
    }
    deletes.addAll(current);
  }

  private long stageErrors(List<String> stagedFiles) {
    if (stagedFiles.isEmpty()) {
      return 0;
    }
    spark.sparkContext().setJobDescription("flatten: append fetch_errors");
    String tableDir = Table.FETCH_ERRORS.dir(lakeDir);
    Dataset<Row> fresh =
        spark
            .read()
            .schema(Table.FETCH_ERRORS.fileSchema())
            .parquet(stagedFiles.toArray(String[]::new))
            .withColumn(Schemas.DT, lit(runDate.toString()))
            .dropDuplicates();
    String partition = LakePaths.partition(tableDir, runDate);
    List<String> existing = files.dataFiles(partition);
    if (!existing.isEmpty()) {
      Dataset<Row> old =
          spark
              .read()
              .schema(Schemas.FETCH_ERRORS)
              .option("basePath", tableDir)
              .parquet(existing.toArray(String[]::new));
      Column same = lit(true);
      for (StructField f : Schemas.FETCH_ERRORS.fields()) {
        same = same.and(fresh.col(f.name()).eqNullSafe(old.col(f.name())));
      }
      fresh = fresh.join(old, same, "left_anti");
    }
    String out = LakePaths.child(staging, "errors");
    fresh
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(Schemas.DT)
        .parquet(out);
    List<String> written = files.dataFiles(LakePaths.partition(out, runDate));
    if (written.isEmpty()) {
      return 0;
    }
    long n = spark.read().schema(Schemas.FETCH_ERRORS).parquet(out).count();
    for (String f : written) {
      moves.add(moveInto(f, partition));
    }
    return n;
  }

  /** A staged file moving, under its own name, into a table partition. */
  private static LakeCommit.Move moveInto(String stagedFile, String partitionDir) {
    return new LakeCommit.Move(
        stagedFile, LakePaths.child(partitionDir, LakeFiles.fileName(stagedFile)));
  }
}
