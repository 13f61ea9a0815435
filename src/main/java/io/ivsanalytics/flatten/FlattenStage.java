package io.ivsanalytics.flatten;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.model.LakePaths;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.ivsanalytics.lake.LakeFs;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
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
 *       its group of input files again without it. A partition that holds an old copy of a
 *       session this batch replaces (a live session fetched again, a session whose start date
 *       changed), or any child row of one of the batch's sessions, is rewritten without every
 *       key of the batch.
 *   <li>Commit: the manifest lists the files to move in and the ones to delete; then publish.
 * </ol>
 *
 * <p>So an increment whose sessions are new to the lake is published as the one pass wrote it,
 * whatever partitions it shares with the lake, and only partitions that really hold a replaced
 * session are rewritten. Dedup: a session is keyed by {@code (channel_arn, stream_id)}; the copy
 * with the latest {@code fetched_at} wins (ties: the new input; within the input, the later
 * file/line). Malformed inputs are appended to {@code fetch_errors} (dt = run date) unless the
 * same row is already there. No table is ever written with an overwrite of the table directory:
 * the session's {@code partitionOverwriteMode} does not matter.
 *
 * <p>{@code fetched_at}: a raw archive line's {@code fetchedAt}; for a file without it (as {@code
 * aws ivs get-stream-session} prints it) the file's modification time, so re-runs agree.
 */
public final class FlattenStage {
  private static final Logger LOG = LoggerFactory.getLogger(FlattenStage.class);

  private static final String IS_NEW = "is_new";
  private static final String RANK = "rank";
  private static final String HASH = "key_hash";
  private static final String CHANNEL_ARN = "channel_arn";
  private static final String STREAM_ID = "stream_id";
  private static final String FETCHED_AT = "fetched_at";
  /** Lake subdirectory where a run stages its files. */
  static final String STAGING = LakeCommit.STAGING;
  private static final List<Table> DATA_TABLES =
      List.of(Table.SESSIONS, Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS);
  private static final Pattern GROUP = Pattern.compile("/part-(\\d{5})-[^/]*$");
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
   * @param inputs files or directories (walked recursively): raw archive {@code *.jsonl.gz},
   *     {@code *.jsonl}/{@code *.ndjson} (optionally gzip), {@code *.json} (one pretty-printed
   *     response as the AWS CLI prints it, or JSON lines), {@code *.json.gz}; UTF-8 with or
   *     without a byte order mark, or UTF-16 with one
   * @param lakeDir lake root (local path or Hadoop URI such as {@code s3://bucket/lake})
   * @param from first session start date kept (UTC, inclusive), null = no bound; raw archive
   *     {@code dt=} directories outside the window are not read
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
      String runId = RUN_ID.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
      String staging = LakePaths.child(LakeCommit.stagingRoot(lakeDir), runId);
      boolean committed = false;
      try {
        Run r = new Run(spark, fs, lake, files, lakeDir, staging, runId, runDate, from, to);
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

  /** One run's state, from the one pass to the publish. */
  private static final class Run {
    private final SparkSession spark;
    private final LakeFs fs;
    private final LakeCommit lake;
    private final List<InputFile> files;
    private final String lakeDir;
    private final String staging;
    private final String runId;
    private final LocalDate runDate;
    private final LocalDate from;
    private final LocalDate to;

    Run(SparkSession spark, LakeFs fs, LakeCommit lake, List<InputFile> files, String lakeDir, String staging,
        String runId, LocalDate runDate, LocalDate from, LocalDate to) {
      this.spark = spark;
      this.fs = fs;
      this.lake = lake;
      this.files = files;
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
      List<List<InputFile>> groups = files.isEmpty() ? List.of() : InputFiles.balance(files, slots);
      List<Integer> all = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        all.add(g);
      }
      long started = System.nanoTime();
      spark.sparkContext().setJobDescription("flatten: parse and stage all tables");
      StagedWrite.Summary pass = StagedWrite.run(spark, fs, groups, all, job("pass", parquet, new long[0], true));
      LOG.info("flatten: parsed and staged {} sessions in {} ms", pass.count(StagedWrite.SESSIONS), ms(started));
      LakeCommit.haltPoint("staged");

      started = System.nanoTime();
      Plan plan = plan(pass);
      LOG.info("flatten: planned in {} ms: {} batch copies dropped, partitions to rewrite {}", ms(started),
          plan.losers.length, plan.rewrite);
      LakeCommit.haltPoint("planned");

      Map<Table, List<String>> staged = new EnumMap<>(Table.class);
      pass.files().forEach((t, f) -> staged.put(t, new ArrayList<>(f)));
      long[] n = pass.counts().clone();
      Map<String, Long> oddCounts = pass.oddCounts();
      Map<String, String> oddExamples = pass.oddExamples();
      if (plan.losers.length > 0) {
        // Groups holding a losing copy are parsed again without it; their first files are dropped.
        Set<Integer> redo = groupsOf(groups, plan.losers);
        spark.sparkContext().setJobDescription("flatten: stage again without the dropped copies");
        StagedWrite.Summary again = StagedWrite.run(spark, fs, groups, new ArrayList<>(redo),
            job("again", parquet, plan.losers, false));
        for (List<String> list : staged.values()) {
          list.removeIf(f -> redo.contains(groupOf(f)));
        }
        again.files().forEach((t, f) -> staged.computeIfAbsent(t, k -> new ArrayList<>()).addAll(f));
        n = recount(pass, again, redo);
        LakeCommit.haltPoint("restaged");
      }

      List<LakeCommit.Move> moves = new ArrayList<>();
      List<String> deletes = new ArrayList<>();
      Set<String> tables = new LinkedHashSet<>();
      for (Table t : DATA_TABLES) {
        String tableDir = t.dir(lakeDir);
        for (String f : staged.getOrDefault(t, List.of())) {
          moves.add(new LakeCommit.Move(f, LakePaths.child(LakePaths.partition(tableDir, StagedWrite.dtOf(f)),
              f.substring(f.lastIndexOf('/') + 1))));
          tables.add(tableDir);
        }
        Set<String> dts = plan.rewrite.getOrDefault(t, Set.of());
        if (!dts.isEmpty()) {
          rewrite(t, dts, plan, moves, deletes);
          tables.add(tableDir);
        }
      }
      LakeCommit.haltPoint("rewritten");
      long errorsAdded = errors(staged.getOrDefault(Table.FETCH_ERRORS, List.of()), moves);
      if (errorsAdded > 0) {
        tables.add(Table.FETCH_ERRORS.dir(lakeDir));
      }

      lake.commit(staging, new LakeCommit.Manifest(runId, moves, deletes, tables));
      LakeCommit.haltPoint("committed");
      started = System.nanoTime();
      lake.publish(new LakeCommit.Manifest(runId, moves, deletes, tables));
      LakeCommit.haltPoint("published");
      lake.finish(staging);
      LOG.info("flatten: published {} files, replaced {} in {} ms", moves.size(), deletes.size(), ms(started));
      LakeCommit.haltPoint("finished");

      logOddFields(oddCounts, oddExamples);
      long oddTotal = n[StagedWrite.ODD];
      String errorsDir = Table.FETCH_ERRORS.dir(lakeDir);
      long errorsInTable = lake.exists(errorsDir)
          ? spark.read().schema(Schemas.FETCH_ERRORS).parquet(errorsDir).count() : 0;
      FlattenResult r = new FlattenResult(n[StagedWrite.SESSIONS], n[StagedWrite.TRACKS], n[StagedWrite.EVENTS],
          n[StagedWrite.RECORDINGS], errorsAdded, errorsInTable, n[StagedWrite.MALFORMED], plan.losers.length,
          n[StagedWrite.OUTSIDE], oddTotal, files.size());
      LOG.info("flatten: wrote {}", r.rowsPerTable());
      return r;
    }

    private StagedWrite.Job job(String generation, ParquetRows.Settings parquet, long[] skip, boolean keys) {
      return new StagedWrite.Job(LakePaths.child(staging, generation), runDate.toString(),
          from == null ? null : from.toString(), to == null ? null : to.toString(), runId, parquet, skip, keys);
    }

    /** The counts of the final files: the first pass's, with the groups done again replaced. */
    private long[] recount(StagedWrite.Summary pass, StagedWrite.Summary again, Set<Integer> redo) {
      long[] n = pass.counts().clone();
      for (int g : redo) {
        long[] first = pass.perGroup().get(g);
        for (int i = 0; i < n.length; i++) {
          n[i] -= first[i];
        }
      }
      for (long[] c : again.perGroup().values()) {
        for (int i = 0; i < n.length; i++) {
          n[i] += c[i];
        }
      }
      return n;
    }

    /**
     * Ranks the batch's keys against each other and the lake's: the batch copies that lose, and
     * per table the partitions holding rows of a session the batch replaces.
     */
    private Plan plan(StagedWrite.Summary pass) {
      Plan p = new Plan();
      if (pass.keyFiles().isEmpty()) {
        return p;
      }
      spark.sparkContext().setJobDescription("flatten: find repeated session keys");
      Dataset<Row> batch = spark.read().schema(StagedWrite.KEY_SCHEMA)
          .parquet(pass.keyFiles().toArray(String[]::new))
          .withColumn(IS_NEW, lit(true));
      String sessionsDir = Table.SESSIONS.dir(lakeDir);
      Dataset<Row> keys = batch;
      if (lake.exists(sessionsDir)) {
        Dataset<Row> old = spark.read().schema(Schemas.SESSIONS).parquet(sessionsDir)
            .select(col(CHANNEL_ARN), col(STREAM_ID), col(FETCHED_AT), col(Schemas.DT),
                lit(null).cast(DataTypes.LongType).as(RecordSchema.RECORD_ID), lit(false).as(IS_NEW));
        keys = keys.unionByName(old);
      }
      keys = keys.withColumn(HASH, xxhash64(col(CHANNEL_ARN), col(STREAM_ID)));
      List<Long> repeated = keys.groupBy(HASH).count().filter(col("count").gt(1)).select(HASH)
          .as(Encoders.LONG()).collectAsList();
      Dataset<Row> batchKeys = batch.select(col(CHANNEL_ARN).as("k_arn"), col(STREAM_ID).as("k_sid"));
      if (!repeated.isEmpty()) {
        spark.sparkContext().setJobDescription("flatten: rank repeated session keys");
        Dataset<Row> hashes = spark.createDataset(repeated, Encoders.LONG()).toDF(HASH);
        String rankedDir = LakePaths.child(staging, "plan");
        keys.join(broadcast(hashes), keys.col(HASH).equalTo(hashes.col(HASH)), "left_semi")
            .withColumn(RANK, row_number().over(Window.partitionBy(CHANNEL_ARN, STREAM_ID)
                .orderBy(col(FETCHED_AT).desc_nulls_last(), col(IS_NEW).desc(), col(RecordSchema.RECORD_ID).desc())))
            .filter(col(RANK).gt(1))
            .drop(HASH)
            .write().mode(SaveMode.Overwrite).parquet(rankedDir);
        Dataset<Row> beaten = spark.read()
            .schema(StagedWrite.KEY_SCHEMA.add(IS_NEW, DataTypes.BooleanType).add(RANK, DataTypes.IntegerType))
            .parquet(rankedDir);
        List<Long> losers = beaten.filter(col(IS_NEW)).select(RecordSchema.RECORD_ID).as(Encoders.LONG()).collectAsList();
        p.losers = losers.stream().mapToLong(Long::longValue).sorted().toArray();
        List<String> oldDts = beaten.filter(col(IS_NEW).equalTo(false)).select(Schemas.DT).distinct()
            .as(Encoders.STRING()).collectAsList();
        for (Table t : DATA_TABLES) {
          p.rewrite.computeIfAbsent(t, k -> new TreeSet<>()).addAll(oldDts);
        }
        if (p.losers.length > 0) {
          Dataset<Row> lost = beaten.filter(col(IS_NEW)).select(col(RecordSchema.RECORD_ID).as("lost_id"));
          batchKeys = batch.join(broadcast(lost), batch.col(RecordSchema.RECORD_ID).equalTo(lost.col("lost_id")), "left_anti")
              .select(col(CHANNEL_ARN).as("k_arn"), col(STREAM_ID).as("k_sid"));
        }
      }
      p.winnerKeys = batchKeys;
      // Child rows of a batch session in a partition the batch also writes, without the session
      // row that would have led to them (left by an older version killed mid-write): dropped too.
      for (Table t : List.of(Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS)) {
        Set<String> shared = new TreeSet<>(pass.partitions(t));
        shared.addAll(pass.partitions(Table.SESSIONS));
        shared.removeAll(p.rewrite.getOrDefault(t, Set.of()));
        List<String> existing = new ArrayList<>();
        for (String dt : shared) {
          if (!lake.dataFiles(LakePaths.partition(t.dir(lakeDir), dt)).isEmpty()) {
            existing.add(dt);
          }
        }
        if (existing.isEmpty()) {
          continue;
        }
        spark.sparkContext().setJobDescription("flatten: look for rows of the batch's sessions in " + t.dirName());
        Dataset<Row> rows = read(t, existing).select(CHANNEL_ARN, STREAM_ID, Schemas.DT);
        List<String> hit = rows.join(batchKeys, keyMatch(rows, batchKeys), "left_semi").select(Schemas.DT).distinct()
            .as(Encoders.STRING()).collectAsList();
        if (!hit.isEmpty()) {
          LOG.warn("flatten: {} holds rows of this batch's sessions in {} without their session rows: rewriting",
              t.dirName(), hit);
          p.rewrite.computeIfAbsent(t, k -> new TreeSet<>()).addAll(hit);
        }
      }
      return p;
    }

    /** The table's current files in the given partitions. */
    private Dataset<Row> read(Table t, List<String> dts) {
      List<String> paths = new ArrayList<>();
      for (String dt : dts) {
        paths.addAll(lake.dataFiles(LakePaths.partition(t.dir(lakeDir), dt)));
      }
      return spark.read().schema(t.schema()).option("basePath", t.dir(lakeDir)).parquet(paths.toArray(String[]::new));
    }

    /**
     * Stages each partition as its current rows without every key of the batch; the current
     * files become deletes, the rewritten ones moves. A partition left with no rows just goes.
     */
    private void rewrite(Table t, Set<String> dts, Plan plan, List<LakeCommit.Move> moves, List<String> deletes) {
      String tableDir = t.dir(lakeDir);
      List<String> current = new ArrayList<>();
      List<String> present = new ArrayList<>();
      for (String dt : dts) {
        List<String> f = lake.dataFiles(LakePaths.partition(tableDir, dt));
        if (!f.isEmpty()) {
          current.addAll(f);
          present.add(dt);
        }
      }
      if (current.isEmpty()) {
        return;
      }
      spark.sparkContext().setJobDescription("flatten: rewrite " + t.dirName() + " " + present);
      Dataset<Row> old = spark.read().schema(t.schema()).option("basePath", tableDir)
          .parquet(current.toArray(String[]::new));
      String out = LakePaths.child(LakePaths.child(staging, "rewrite"), t.dirName());
      old.join(plan.winnerKeys, keyMatch(old, plan.winnerKeys), "left_anti")
          .repartition(col(Schemas.DT))
          .write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
          .partitionBy(Schemas.DT).parquet(out);
      for (String dt : present) {
        for (String f : lake.dataFiles(LakePaths.partition(out, dt))) {
          moves.add(new LakeCommit.Move(f, LakePaths.child(LakePaths.partition(tableDir, dt),
              f.substring(f.lastIndexOf('/') + 1))));
        }
      }
      deletes.addAll(current);
    }

    /**
     * Stages the malformed-input rows that {@code fetch_errors} does not hold yet; returns how
     * many.
     */
    private long errors(List<String> stagedFiles, List<LakeCommit.Move> moves) {
      if (stagedFiles.isEmpty()) {
        return 0;
      }
      spark.sparkContext().setJobDescription("flatten: append fetch_errors");
      String tableDir = Table.FETCH_ERRORS.dir(lakeDir);
      Dataset<Row> fresh = spark.read().schema(Table.FETCH_ERRORS.fileSchema())
          .parquet(stagedFiles.toArray(String[]::new))
          .withColumn(Schemas.DT, lit(runDate.toString())).dropDuplicates();
      String partition = LakePaths.partition(tableDir, runDate);
      List<String> existing = lake.dataFiles(partition);
      if (!existing.isEmpty()) {
        Dataset<Row> old = spark.read().schema(Schemas.FETCH_ERRORS).option("basePath", tableDir)
            .parquet(existing.toArray(String[]::new));
        Column same = lit(true);
        for (StructField f : Schemas.FETCH_ERRORS.fields()) {
          same = same.and(fresh.col(f.name()).eqNullSafe(old.col(f.name())));
        }
        fresh = fresh.join(old, same, "left_anti");
      }
      String out = LakePaths.child(staging, "errors");
      fresh.coalesce(1).write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic")
          .partitionBy(Schemas.DT).parquet(out);
      List<String> written = lake.dataFiles(LakePaths.partition(out, runDate));
      if (written.isEmpty()) {
        return 0;
      }
      long n = spark.read().schema(Schemas.FETCH_ERRORS).parquet(out).count();
      for (String f : written) {
        moves.add(new LakeCommit.Move(f, LakePaths.child(partition, f.substring(f.lastIndexOf('/') + 1))));
      }
      return n;
    }
  }

  /** What the plan found. */
  private static final class Plan {
    long[] losers = new long[0];
    Map<Table, Set<String>> rewrite = new EnumMap<>(Table.class);
    Dataset<Row> winnerKeys;
  }

  private static Column keyMatch(Dataset<Row> rows, Dataset<Row> keys) {
    return rows.col(CHANNEL_ARN).equalTo(keys.col("k_arn")).and(rows.col(STREAM_ID).equalTo(keys.col("k_sid")));
  }

  /** The groups whose files hold the given record ids (file index in the high 32 bits). */
  private static Set<Integer> groupsOf(List<List<InputFile>> groups, long[] recordIds) {
    Map<Integer, Integer> groupOfFile = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (InputFile f : groups.get(g)) {
        groupOfFile.put(f.index(), g);
      }
    }
    Set<Integer> out = new TreeSet<>();
    for (long id : recordIds) {
      out.add(groupOfFile.get((int) (id >>> 32)));
    }
    return out;
  }

  private static int groupOf(String stagedFile) {
    Matcher m = GROUP.matcher(stagedFile);
    if (!m.find()) {
      throw new IllegalStateException("not a staged file name: " + stagedFile);
    }
    return Integer.parseInt(m.group(1));
  }

  private static void logOddFields(Map<String, Long> counts, Map<String, String> examples) {
    counts.forEach((kind, n) -> LOG.warn("flatten: {} field{} kept with a fix: {} (e.g. {})", n, n == 1 ? "" : "s",
        kind, examples.get(kind)));
  }

  private static long ms(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /**
   * Pure transform for text already in a Dataset: one JSON response per element (raw archive
   * line or compact response), as {@link RecordSchema#ROW} rows. Malformed elements become error
   * rows that name the element by partition and position; {@code fallbackFetchedAt} is used when a
   * line has no {@code fetchedAt}.
   */
  public static Dataset<Row> parseLines(Dataset<String> lines, Instant fallbackFetchedAt) {
    return lines.mapPartitions(
        (MapPartitionsFunction<String, Row>) it -> parseLinesOfPartition(it, fallbackFetchedAt),
        Encoders.row(RecordSchema.ROW));
  }

  private static Iterator<Row> parseLinesOfPartition(Iterator<String> it, Instant fallback) {
    int partition = org.apache.spark.TaskContext.getPartitionId();
    return new Iterator<>() {
      long n;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        n++;
        String where = "input partition " + partition + " record " + n;
        return SessionParser.parseText(it.next(), "input", where, ReadResponses.recordId(partition, n), fallback)
            .toRow();
      }
    };
  }

  /**
   * Pure transform: {@link RecordSchema#ROW} records to the five tables, dropping duplicate
   * sessions within the batch (latest {@code fetched_at} kept). {@code runDate} is the {@code dt}
   * of {@code fetch_errors}.
   */
  public static Tables tables(Dataset<Row> records, LocalDate runDate) {
    Dataset<Row> sessions = records.filter(col(RecordSchema.ERROR).isNull());
    Dataset<Row> losers = sessions
        .withColumn(RANK, row_number().over(Window.partitionBy(CHANNEL_ARN, STREAM_ID)
            .orderBy(col(FETCHED_AT).desc_nulls_last(), col(RecordSchema.RECORD_ID).desc())))
        .filter(col(RANK).gt(1))
        .select(col(RecordSchema.RECORD_ID).as("lost_id"));
    Dataset<Row> kept = sessions.join(losers, sessions.col(RecordSchema.RECORD_ID).equalTo(losers.col("lost_id")),
        "left_anti");
    return new Tables(
        kept.select(mixed(Schemas.SESSIONS, List.of(Schemas.SESSIONS.fieldNames()), "")),
        children(kept, RecordSchema.TRACKS, Schemas.TRACKS, RecordSchema.TRACK_FROM_SESSION),
        children(kept, RecordSchema.EVENTS, Schemas.EVENTS, RecordSchema.EVENT_FROM_SESSION),
        kept.filter(col(RecordSchema.RECORDING).isNotNull())
            .select(mixed(Schemas.RECORDING_SETTINGS, RecordSchema.RECORDING_FROM_SESSION, RecordSchema.RECORDING)),
        records.filter(col(RecordSchema.ERROR).isNotNull())
            .withColumn(Schemas.DT, lit(runDate.toString()))
            .select(mixed(Schemas.FETCH_ERRORS, RecordSchema.ERROR_FROM_RECORD, RecordSchema.ERROR)));
  }

  private static Dataset<Row> children(Dataset<Row> sessions, String array, StructType table, List<String> fromSession) {
    String item = "_item";
    List<Column> keep = new ArrayList<>();
    for (String c : fromSession) {
      keep.add(col(c));
    }
    keep.add(explode(col(array)).as(item));
    return sessions.select(keep.toArray(Column[]::new)).select(mixed(table, fromSession, item));
  }

  /**
   * The table's columns in order: the shared ones from the top level, the rest from {@code
   * struct}; map columns rebuilt from their entries ({@link RecordSchema#ROW}).
   */
  private static Column[] mixed(StructType table, List<String> topLevel, String struct) {
    return Arrays.stream(table.fields())
        .map(f -> {
          Column c = topLevel.contains(f.name()) ? col(f.name()) : col(struct + "." + f.name());
          return (f.dataType() instanceof MapType ? map_from_entries(c) : c).as(f.name());
        })
        .toArray(Column[]::new);
  }

  private FlattenStage() {}
}
