package io.ivsanalytics.flatten;

import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flatten run, from the one pass to the publish ({@link FlattenStage} describes the steps):
 * stage every table in one pass, plan, stage again the groups holding a losing copy, merge, commit,
 * publish.
 */
final class FlattenRun {
  private static final Logger LOG = LoggerFactory.getLogger(FlattenStage.class);

  private final SparkSession spark;
  private final LakeFs fs;
  private final LakeFiles files;
  private final LakeCommit lake;
  private final List<InputFile> inputs;
  private final String lakeDir;
  private final String staging;
  private final String runId;
  private final LocalDate runDate;
  private final LocalDate from;
  private final LocalDate to;

  FlattenRun(
      SparkSession spark,
      LakeFs fs,
      LakeCommit lake,
      List<InputFile> inputs,
      String lakeDir,
      String staging,
      String runId,
      LocalDate runDate,
      LocalDate from,
      LocalDate to) {
    this.spark = spark;
    this.fs = fs;
    this.files = new LakeFiles(fs);
    this.lake = lake;
    this.inputs = inputs;
    this.lakeDir = lakeDir;
    this.staging = staging;
    this.runId = runId;
    this.runDate = runDate;
    this.from = from;
    this.to = to;
  }

  FlattenResult execute() {
    ParquetRows.Settings parquet = ParquetRows.Settings.of(spark);
    int slots = Math.max(1, spark.sparkContext().defaultParallelism()) * 4;
    List<List<InputFile>> groups = inputs.isEmpty() ? List.of() : InputFiles.balance(inputs, slots);
    List<Integer> all = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      all.add(g);
    }
    long started = System.nanoTime();
    spark.sparkContext().setJobDescription("flatten: parse and stage all tables");
    StagedWrite.Summary pass =
        StagedWrite.run(spark, fs, groups, all, job("pass", parquet, new long[0], true));
    LOG.info(
        "flatten: parsed and staged {} sessions in {} ms",
        pass.count(StagedWrite.SESSIONS),
        ms(started));
    LakeCommit.haltPoint("staged");

    started = System.nanoTime();
    MergePlan plan = MergePlan.of(spark, files, lakeDir, staging, pass);
    LOG.info(
        "flatten: planned in {} ms: {} batch copies dropped, partitions to rewrite {}",
        ms(started),
        plan.losers.length,
        plan.rewrite);
    LakeCommit.haltPoint("planned");

    Map<Table, List<String>> staged = new EnumMap<>(Table.class);
    pass.files().forEach((t, f) -> staged.put(t, new ArrayList<>(f)));
    long[] n = pass.counts().clone();
    Map<String, Long> oddCounts = pass.oddCounts();
    Map<String, String> oddExamples = pass.oddExamples();
    if (plan.losers.length > 0) {
      // Groups holding a losing copy are parsed again without it; their first files are dropped.
      Set<Integer> redo = InputFiles.groupsOf(groups, plan.losers);
      spark.sparkContext().setJobDescription("flatten: stage again without the dropped copies");
      StagedWrite.Summary again =
          StagedWrite.run(
              spark, fs, groups, new ArrayList<>(redo), job("again", parquet, plan.losers, false));
      for (List<String> list : staged.values()) {
        list.removeIf(f -> redo.contains(StagedWrite.groupOf(f)));
      }
      again.files().forEach((t, f) -> staged.computeIfAbsent(t, k -> new ArrayList<>()).addAll(f));
      n = pass.countsReplacing(again, redo);
      LakeCommit.haltPoint("restaged");
    }

    MergeWriter merge = new MergeWriter(spark, files, lakeDir, staging, runDate);
    merge.dataTables(staged, plan);
    LakeCommit.haltPoint("rewritten");
    long errorsAdded = merge.errors(staged.getOrDefault(Table.FETCH_ERRORS, List.of()));

    lake.commit(staging, merge.manifest(runId));
    LakeCommit.haltPoint("committed");
    started = System.nanoTime();
    lake.publish(merge.manifest(runId));
    LakeCommit.haltPoint("published");
    lake.finish(staging);
    LOG.info(
        "flatten: published {} files, replaced {} in {} ms",
        merge.moveCount(),
        merge.deleteCount(),
        ms(started));
    LakeCommit.haltPoint("finished");

    logOddFields(oddCounts, oddExamples);
    long oddTotal = n[StagedWrite.ODD];
    String errorsDir = Table.FETCH_ERRORS.dir(lakeDir);
    long errorsInTable =
        files.exists(errorsDir)
            ? spark.read().schema(Schemas.FETCH_ERRORS).parquet(errorsDir).count()
            : 0;
    FlattenResult r =
        new FlattenResult(
            n[StagedWrite.SESSIONS],
            n[StagedWrite.TRACKS],
            n[StagedWrite.EVENTS],
            n[StagedWrite.RECORDINGS],
            errorsAdded,
            errorsInTable,
            n[StagedWrite.MALFORMED],
            plan.losers.length,
            n[StagedWrite.OUTSIDE],
            oddTotal,
            inputs.size());
    LOG.info("flatten: wrote {}", r.rowsPerTable());
    return r;
  }

  private StagedWrite.Job job(
      String generation, ParquetRows.Settings parquet, long[] skip, boolean keys) {
    return new StagedWrite.Job(
        LakePaths.child(staging, generation),
        runDate.toString(),
        from == null ? null : from.toString(),
        to == null ? null : to.toString(),
        runId,
        parquet,
        skip,
        keys);
  }

  private static void logOddFields(Map<String, Long> counts, Map<String, String> examples) {
    counts.forEach(
        (kind, n) ->
            LOG.warn(
                "flatten: {} field{} kept with a fix: {} (e.g. {})",
                n,
                n == 1 ? "" : "s",
                kind,
                examples.get(kind)));
  }

  private static long ms(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
