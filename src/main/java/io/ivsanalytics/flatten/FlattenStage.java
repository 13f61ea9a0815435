package io.ivsanalytics.flatten;

import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.lake.LakeFs;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flatten stage: GetStreamSession responses (raw archive lines or analysts' files) to the
 * {@code sessions}, {@code tracks}, {@code events} and {@code recording_settings} tables, and
 * malformed inputs to {@code fetch_errors} (docs/tables.md).
 *
 * <p>Pipeline ({@link #run}):
 *
 * <ol>
 *   <li>Complete or roll back a run on the same lake that was killed ({@link LakeCommit}).
 *   <li>One pass ({@link StagedWrite}): every response is parsed once and every table's Parquet
 *       files are written from that pass into {@code LAKE/_staging/<run>/}, with the batch's
 *       session keys beside them.
 *   <li>Plan, from Parquet files only: the batch's keys against each other and against the keys of
 *       the lake's {@code sessions}. A batch copy that loses (an older or equal copy of a session
 *       that also appears later in the input, or older than the lake's copy) is dropped by writing
 *       its group of input files again without it. A partition that holds an old copy of a session
 *       this batch replaces (a live session fetched again, a session whose start date changed), or
 *       any child row of one of the batch's sessions, is rewritten without every key of the batch.
 *   <li>Commit: the manifest lists the files to move in and the ones to delete; then publish.
 * </ol>
 *
 * <p>So an increment whose sessions are new to the lake is published as the one pass wrote it,
 * whatever partitions it shares with the lake, and only partitions that really hold a replaced
 * session are rewritten. Dedup: a session is keyed by {@code (channel_arn, stream_id)}; the copy
 * with the latest {@code fetched_at} wins (ties: the new input; within the input, the later
 * file/line). Malformed inputs are appended to {@code fetch_errors} (dt = run date) unless the same
 * row is already there. No table is ever written with an overwrite of the table directory: the
 * session's {@code partitionOverwriteMode} does not matter.
 *
 * <p>{@code fetched_at}: a raw archive line's {@code fetchedAt}; for a file without it (as {@code
 * aws ivs get-stream-session} prints it) the file's modification time, so re-runs agree.
 *
 * <p>The parts: {@link InputFiles} finds the input files, {@link StagedWrite} is the one pass,
 * {@link MergePlan} the plan, {@link MergeWriter} the rewrites and the manifest, {@link LakeCommit}
 * the commit and publish, {@link FlattenRun} runs them in order; {@link RecordTables} holds the
 * same transforms on Datasets.
 */
public final class FlattenStage {
  private static final Logger LOG = LoggerFactory.getLogger(FlattenStage.class);

  /** Lake subdirectory where a run stages its files. */
  static final String STAGING = LakeCommit.STAGING;

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** One batch's tables, columns exactly as {@link Schemas} (including {@code dt}). */
  public record Tables(
      Dataset<Row> sessions,
      Dataset<Row> tracks,
      Dataset<Row> events,
      Dataset<Row> recordingSettings,
      Dataset<Row> fetchErrors) {

    public Dataset<Row> get(Table t) {
      return switch (t) {
        case SESSIONS -> sessions;
        case TRACKS -> tracks;
        case EVENTS -> events;
        case RECORDING_SETTINGS -> recordingSettings;
        case FETCH_ERRORS -> fetchErrors;
      };
    }
  }

  /** {@link #run(SparkSession, List, String, LocalDate, LocalDate)} without a date window. */
  public static FlattenResult run(SparkSession spark, List<String> inputs, String lakeDir) {
    return run(spark, inputs, lakeDir, null, null);
  }

  /**
   * Reads the inputs, writes the five tables under {@code lakeDir} and returns what was written.
   *
   * @param inputs files or directories (walked recursively): raw archive {@code *.jsonl.gz}, {@code
   *     *.jsonl}/{@code *.ndjson} (optionally gzip), {@code *.json} (one pretty-printed response as
   *     the AWS CLI prints it, or JSON lines), {@code *.json.gz}; UTF-8 with or without a byte
   *     order mark, or UTF-16 with one
   * @param lakeDir lake root (local path or Hadoop URI such as {@code s3://bucket/lake})
   * @param from first session start date kept (UTC, inclusive), null = no bound; raw archive {@code
   *     dt=} directories outside the window are not read
   * @param to end of the window (exclusive), null = no bound
   * @throws IllegalArgumentException an input path that does not exist
   */
  public static FlattenResult run(
      SparkSession spark, List<String> inputs, String lakeDir, LocalDate from, LocalDate to) {
    LocalDate runDate = LocalDate.now(ZoneOffset.UTC);
    spark.sparkContext().setJobGroup("flatten", "flatten " + String.join(",", inputs), false);
    try {
      LakeFs fs = LakeFs.of(spark);
      LakeCommit lake = new LakeCommit(fs);
      lake.recover(lakeDir);
      List<InputFile> files = InputFiles.list(fs, inputs, from, to);
      LOG.info("flatten: {} input files under {}", files.size(), inputs);
      String runId =
          RUN_ID.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
      String staging = LakePaths.child(LakeCommit.stagingRoot(lakeDir), runId);
      boolean committed = false;
      try {
        FlattenRun r =
            new FlattenRun(spark, fs, lake, files, lakeDir, staging, runId, runDate, from, to);
        FlattenResult result = r.execute();
        committed = true;
        return result;
      } finally {
        if (!committed) {
          lake.abandon(staging);
          lake.recover(lakeDir);
        }
      }
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * Pure transform for text already in a Dataset: one JSON response per element (raw archive line
   * or compact response), as {@link RecordSchema#ROW} rows. Malformed elements become error rows
   * that name the element by partition and position; {@code fallbackFetchedAt} is used when a line
   * has no {@code fetchedAt}.
   */
  public static Dataset<Row> parseLines(Dataset<String> lines, Instant fallbackFetchedAt) {
    return RecordTables.parseLines(lines, fallbackFetchedAt);
  }

  /**
   * Pure transform: {@link RecordSchema#ROW} records to the five tables, dropping duplicate
   * sessions within the batch (latest {@code fetched_at} kept). {@code runDate} is the {@code dt}
   * of {@code fetch_errors}.
   */
  public static Tables tables(Dataset<Row> records, LocalDate runDate) {
    return RecordTables.tables(records, runDate);
  }

  private FlattenStage() {}
}
