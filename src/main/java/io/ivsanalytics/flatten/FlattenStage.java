package io.ivsanalytics.flatten;

import io.ivsanalytics.model.LakePaths;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.ivsanalytics.flatten.InputFiles.InputFile;
import io.ivsanalytics.model.Schemas;
import io.ivsanalytics.model.Schemas.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flatten stage: GetStreamSession responses (raw archive lines or analysts' files) to the
 * {@code sessions}, {@code tracks}, {@code events} and {@code recording_settings} tables, and
 * malformed inputs to {@code fetch_errors} (SPEC.md "Tables").
 *
 * <p>Pipeline ({@link #run}): list the input files on the driver. While the lake has no sessions
 * yet, one pass ({@link StagedWrite}) parses every response once and writes all tables' Parquet
 * files from that pass into {@code LAKE/_staging/<run id>/}; when no session key repeats in the
 * input and no partition written exists in the lake, the files are moved into place. Otherwise
 * (a lake with sessions, or that first pass finding repeats or existing partitions): parse every
 * response once into one nested record per session ({@link RecordSchema}), cached; rank the
 * sessions by key against the lake; project and write each table from the cached records.
 *
 * <p>Dedup and re-runs. A session is keyed by {@code (channel_arn, stream_id)}. When it appears
 * more than once, in the input or in the input and the lake, the copy with the latest {@code
 * fetched_at} wins (ties: the new input; within the input, the later file/line). A winning input
 * session replaces the lake's copy in all four tables, wherever its old {@code dt} was. Each table
 * is written with dynamic partition overwrite: a partition this run touches is rewritten as (its
 * old rows minus replaced sessions) plus the new rows; a partition left with no rows is deleted;
 * every other partition is left as it is. So re-running over the same input gives the same rows,
 * and flattening a second, different set of files adds to the lake instead of dropping what an
 * earlier run wrote. Malformed inputs are appended to {@code fetch_errors} (dt = run date) unless
 * the same row is already there.
 *
 * <p>{@code fetched_at}: a raw archive line's {@code fetchedAt}; for a file without it (as {@code
 * aws ivs get-stream-session} prints it) the file's modification time, so re-runs agree.
 */
public final class FlattenStage {
  private static final Logger LOG = LoggerFactory.getLogger(FlattenStage.class);

  /** Above this many duplicate records, dedup uses a shuffle join rather than a broadcast. */
  static final long BROADCAST_DUPLICATES_MAX = 4_000_000L;

  private static final String IS_NEW = "is_new";
  private static final String RANK = "rank";
  private static final String CHANNEL_ARN = "channel_arn";
  private static final String STREAM_ID = "stream_id";
  private static final String FETCHED_AT = "fetched_at";
  /** Lake subdirectory where a one-pass run writes its files before moving them into place. */
  static final String STAGING = "_staging";
  private static final long STALE_STAGING_MS = 3_600_000L;

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
   *     response as the AWS CLI prints it, or JSON lines), {@code *.json.gz}
   * @param lakeDir lake root (local path or Hadoop URI such as {@code s3://bucket/lake})
   * @param from first session start date kept (UTC, inclusive), null = no bound; raw archive
   *     {@code dt=} directories outside the window are not read
   * @param to end of the window (exclusive), null = no bound
   * @throws IllegalArgumentException an input path that does not exist
   */
  public static FlattenResult run(
      SparkSession spark, List<String> inputs, String lakeDir, LocalDate from, LocalDate to) {
    return run(spark, inputs, lakeDir, from, to, true);
  }

  /** {@code onePass} false: always rank and merge (the path a lake with sessions takes). */
  static FlattenResult run(
      SparkSession spark, List<String> inputs, String lakeDir, LocalDate from, LocalDate to, boolean onePass) {
    LocalDate runDate = LocalDate.now(ZoneOffset.UTC);
    spark.sparkContext().setJobGroup("flatten", "flatten " + String.join(",", inputs), false);
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      List<InputFile> files = InputFiles.list(hadoop, inputs, from, to);
      LOG.info("flatten: {} input files under {}", files.size(), inputs);
      if (onePass && !files.isEmpty() && !exists(hadoop, Table.SESSIONS.dir(lakeDir))) {
        FlattenResult r = onePass(spark, files, lakeDir, runDate, from, to);
        if (r != null) {
          return r;
        }
      }
      Dataset<Row> all = readRecords(spark, files);
      Dataset<Row> records = inWindow(all, from, to).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        return write(spark, records, all, lakeDir, runDate, files.size(), from != null || to != null);
      } finally {
        records.unpersist(false);
      }
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * A lake without sessions yet: parses every input once and writes all tables from that pass into
   * a staging directory, then moves the files into place when no session key repeats in the input
   * and no partition written exists in the lake. Returns null (staging removed) when that does not
   * hold, so that the caller ranks and merges instead.
   */
  private static FlattenResult onePass(
      SparkSession spark, List<InputFile> files, String lakeDir, LocalDate runDate, LocalDate from, LocalDate to) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String stagingRoot = LakePaths.child(lakeDir, STAGING);
    removeStale(hadoop, stagingRoot);
    String runId = UUID.randomUUID().toString();
    String staging = stagingRoot + "/" + runId;
    try {
      long started = System.nanoTime();
      spark.sparkContext().setJobDescription("flatten: parse and write all tables");
      StagedWrite.Summary s =
          StagedWrite.run(spark, files, staging, runDate, from, to, runId + StagedWrite.extension(spark));
      LOG.info("flatten: parsed and staged in {} ms", (System.nanoTime() - started) / 1_000_000);
      for (Map.Entry<Table, TreeSet<String>> e : s.partitions().entrySet()) {
        if (e.getKey() == Table.FETCH_ERRORS) {
          continue;
        }
        for (String dt : e.getValue()) {
          if (exists(hadoop, LakePaths.partition(e.getKey().dir(lakeDir), dt))) {
            LOG.info("flatten: {} dt={} already in the lake: merging", e.getKey().dirName(), dt);
            return null;
          }
        }
      }
      if (s.sessions() > 1) {
        spark.sparkContext().setJobDescription("flatten: check for repeated session keys");
        long repeated = spark.read().schema(Schemas.SESSIONS).parquet(Table.SESSIONS.dir(staging))
            .groupBy(CHANNEL_ARN, STREAM_ID).count().filter(col("count").gt(1)).limit(1).count();
        if (repeated > 0) {
          LOG.info("flatten: the input repeats session keys: ranking");
          return null;
        }
      }
      for (Table t : List.of(Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS, Table.SESSIONS)) {
        String dir = t.dir(lakeDir);
        StagedWrite.publish(hadoop, staging, dir, t, s.partitions().getOrDefault(t, new TreeSet<>()));
        touchSuccess(hadoop, dir);
      }
      long errorsWritten = 0;
      if (s.malformed() > 0) {
        String errors = Table.FETCH_ERRORS.dir(staging);
        errorsWritten = appendErrors(spark,
            spark.read().schema(Schemas.FETCH_ERRORS).option("basePath", errors).parquet(errors), lakeDir, runDate);
      }
      FlattenResult r = new FlattenResult(s.sessions(), s.tracks(), s.events(), s.recordings(), errorsWritten,
          s.malformed(), 0, s.outside(), files.size());
      LOG.info("flatten: wrote {} in one pass ({} partitions)", r.rowsPerTable(),
          s.partitions().getOrDefault(Table.SESSIONS, new TreeSet<>()).size());
      return r;
    } finally {
      delete(hadoop, staging);
      deleteIfEmpty(hadoop, stagingRoot);
    }
  }

  private static void deleteIfEmpty(Configuration conf, String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p) && fs.listStatus(p).length == 0) {
        fs.delete(p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + dir, e);
    }
  }

  /** Removes staging directories that killed runs left behind (older than an hour). */
  private static void removeStale(Configuration conf, String stagingRoot) {
    try {
      Path p = new Path(stagingRoot);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return;
      }
      long cutoff = System.currentTimeMillis() - STALE_STAGING_MS;
      for (FileStatus f : fs.listStatus(p)) {
        if (f.getModificationTime() < cutoff) {
          LOG.info("flatten: removing stale staging directory {}", f.getPath());
          fs.delete(f.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean " + stagingRoot, e);
    }
  }

  private static void touchSuccess(Configuration conf, String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      fs.mkdirs(p);
      fs.create(new Path(p, "_SUCCESS"), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + "/_SUCCESS", e);
    }
  }

  /**
   * Parses the files on the executors: one {@link RecordSchema#RECORD} row per response or per
   * malformed input. Files are spread over tasks by size; nothing is read on the driver.
   */
  public static Dataset<Row> readRecords(SparkSession spark, List<InputFile> files) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), RecordSchema.RECORD);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableWritable<Configuration>> conf =
        jsc.broadcast(new SerializableWritable<>(spark.sparkContext().hadoopConfiguration()));
    int slots = Math.max(1, spark.sparkContext().defaultParallelism()) * 4;
    List<List<InputFile>> groups = InputFiles.balance(files, slots);
    InternalRows internal = new InternalRows(RecordSchema.RECORD);
    JavaRDD<InternalRow> rows = jsc.parallelize(groups, groups.size())
        .mapPartitions(new ReadResponses(conf))
        .mapPartitions(internal::convert);
    // internalCreateDataFrame is private[sql] in Scala (public in bytecode): rows already in
    // Spark's internal format skip the generic Row encoder, which cost more than the parse.
    return spark.internalCreateDataFrame(rows.rdd(), RecordSchema.RECORD, false);
  }

  /**
   * Pure transform for text already in a Dataset: one JSON response per element (raw archive
   * line or compact response). Malformed elements become error rows that name the element by
   * partition and position; {@code fallbackFetchedAt} is used when a line has no {@code
   * fetchedAt}.
   */
  public static Dataset<Row> parseLines(Dataset<String> lines, Instant fallbackFetchedAt) {
    return lines.mapPartitions(
        (MapPartitionsFunction<String, Row>) it -> parseLinesOfPartition(it, fallbackFetchedAt),
        Encoders.row(RecordSchema.RECORD));
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
        return SessionParser.parseText(it.next(), "input", where, ReadResponses.recordId(partition, n), fallback);
      }
    };
  }

  /**
   * Pure transform: records to the five tables, dropping duplicate sessions within the batch
   * (latest {@code fetched_at} kept). {@code runDate} is the {@code dt} of {@code fetch_errors}.
   */
  public static Tables tables(Dataset<Row> records, LocalDate runDate) {
    Dataset<Row> ranked = rank(records, null);
    return project(dropLosers(records, ranked, Long.MAX_VALUE), records, runDate);
  }

  /** Projects deduplicated session records (and the error records of {@code records}). */
  static Tables project(Dataset<Row> sessions, Dataset<Row> records, LocalDate runDate) {
    return new Tables(
        sessions.select(columns(Schemas.SESSIONS, "")),
        children(sessions, RecordSchema.TRACKS, Schemas.TRACKS, RecordSchema.TRACK_FROM_SESSION),
        children(sessions, RecordSchema.EVENTS, Schemas.EVENTS, RecordSchema.EVENT_FROM_SESSION),
        sessions
            .filter(col(RecordSchema.RECORDING).isNotNull())
            .select(mixed(Schemas.RECORDING_SETTINGS, RecordSchema.RECORDING_FROM_SESSION, RecordSchema.RECORDING)),
        records
            .filter(col(RecordSchema.ERROR).isNotNull())
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

  private static Column[] columns(StructType s, String prefix) {
    return Arrays.stream(s.fieldNames()).map(n -> col(prefix + n)).toArray(Column[]::new);
  }

  /** The table's columns in order: the shared ones from the top level, the rest from {@code struct}. */
  private static Column[] mixed(StructType table, List<String> topLevel, String struct) {
    return Arrays.stream(table.fieldNames())
        .map(n -> topLevel.contains(n) ? col(n) : col(struct + "." + n).as(n))
        .toArray(Column[]::new);
  }

  /** Keeps error records, and session records whose start date is in [from, to). */
  static Dataset<Row> inWindow(Dataset<Row> records, LocalDate from, LocalDate to) {
    Column keep = lit(true);
    if (from != null) {
      keep = keep.and(col(Schemas.DT).geq(lit(from.toString())));
    }
    if (to != null) {
      keep = keep.and(col(Schemas.DT).lt(lit(to.toString())));
    }
    return from == null && to == null ? records : records.filter(col(RecordSchema.ERROR).isNotNull().or(keep));
  }

  /**
   * Ranks every copy of every session key, the batch's ({@code is_new}) and, when given, the
   * lake's: rank 1 is the copy to keep (latest fetched_at; ties: new before old, later record).
   * Narrow rows: channel_arn, stream_id, fetched_at, dt, record_id, is_new, rank.
   */
  static Dataset<Row> rank(Dataset<Row> records, Dataset<Row> lakeSessions) {
    Dataset<Row> keys =
        records
            .filter(col(RecordSchema.ERROR).isNull())
            .select(col(CHANNEL_ARN), col(STREAM_ID), col(FETCHED_AT), col(Schemas.DT),
                col(RecordSchema.RECORD_ID), lit(true).as(IS_NEW));
    if (lakeSessions != null) {
      keys =
          keys.unionByName(
              lakeSessions.select(col(CHANNEL_ARN), col(STREAM_ID), col(FETCHED_AT), col(Schemas.DT),
                  lit(null).cast(DataTypes.LongType).as(RecordSchema.RECORD_ID), lit(false).as(IS_NEW)));
    }
    return keys.withColumn(
        RANK,
        row_number()
            .over(
                Window.partitionBy(CHANNEL_ARN, STREAM_ID)
                    .orderBy(col(FETCHED_AT).desc_nulls_last(), col(IS_NEW).desc(), col(RecordSchema.RECORD_ID).desc())));
  }

  /** The batch's session records that won their key's ranking. */
  static Dataset<Row> dropLosers(Dataset<Row> records, Dataset<Row> ranked, long losers) {
    Dataset<Row> sessions = records.filter(col(RecordSchema.ERROR).isNull());
    if (losers == 0) {
      return sessions;
    }
    Dataset<Row> ids = ranked.filter(col(RANK).gt(1).and(col(IS_NEW))).select(RecordSchema.RECORD_ID);
    return sessions.join(losers <= BROADCAST_DUPLICATES_MAX ? broadcast(ids) : ids,
        scalaSeq(RecordSchema.RECORD_ID), "left_anti");
  }

  private static FlattenResult write(
      SparkSession spark, Dataset<Row> records, Dataset<Row> unfiltered, String lakeDir, LocalDate runDate,
      int fileCount, boolean windowed) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String sessionsDir = Table.SESSIONS.dir(lakeDir);
    Dataset<Row> lakeSessions =
        exists(hadoop, sessionsDir)
            ? spark.read().schema(Schemas.SESSIONS).parquet(sessionsDir)
                .select(CHANNEL_ARN, STREAM_ID, FETCHED_AT, Schemas.DT)
            : null;
    long started = System.nanoTime();
    Dataset<Row> ranked = null;
    long newLosers = 0;
    long replacedOld = 0;
    Dataset<Row> replaced = null;
    List<String> affected = null;
    if (lakeSessions == null) {
      // No lake yet: when no key repeats in the input (a hash aggregate), nothing needs ranking.
      Dataset<Row> good = records.filter(col(RecordSchema.ERROR).isNull());
      long repeated = good.groupBy(CHANNEL_ARN, STREAM_ID).count().filter(col("count").gt(1)).count();
      if (repeated == 0) {
        affected = good.select(Schemas.DT).distinct().as(Encoders.STRING()).collectAsList();
      }
    }
    if (affected == null) {
      // Materialized (not lineage) so that rewriting the sessions table cannot change it.
      ranked = rank(records, lakeSessions).localCheckpoint(true);
      Row c = ranked.agg(
              sum(when(col(RANK).gt(1).and(col(IS_NEW)), 1).otherwise(0)),
              sum(when(col(RANK).gt(1).and(not(col(IS_NEW))), 1).otherwise(0)))
          .first();
      newLosers = c.isNullAt(0) ? 0 : c.getLong(0);
      replacedOld = c.isNullAt(1) ? 0 : c.getLong(1);
      replaced =
          replacedOld == 0 ? null
              : ranked.filter(col(RANK).gt(1).and(not(col(IS_NEW)))).select(CHANNEL_ARN, STREAM_ID).distinct();
      affected =
          ranked
              .filter(col(RANK).equalTo(1).and(col(IS_NEW)).or(col(RANK).gt(1).and(not(col(IS_NEW)))))
              .select(Schemas.DT).distinct().as(Encoders.STRING()).collectAsList();
    }
    LOG.info("flatten: parsed and ranked in {} ms", (System.nanoTime() - started) / 1_000_000);

    Dataset<Row> sessions = dropLosers(records, ranked, newLosers);
    Tables tables = project(sessions, records, runDate);
    for (Table t : List.of(Table.TRACKS, Table.EVENTS, Table.RECORDING_SETTINGS, Table.SESSIONS)) {
      mergeInto(spark, t, tables.get(t), lakeDir, affected, replaced);
    }
    long errorsWritten = appendErrors(spark, tables.fetchErrors(), lakeDir, runDate);

    // Counted from scalar columns (the track and event counts are the lists' sizes): the cached
    // lists themselves are not decoded again.
    Row n = sessions.agg(
            count(lit(1)),
            sum(col("video_track_count").plus(col("audio_track_count"))),
            sum(col("event_count")),
            count(col(RecordSchema.RECORDING)))
        .first();
    long malformed = records.filter(col(RecordSchema.ERROR).isNotNull()).count();
    long outside = windowed ? unfiltered.filter(col(RecordSchema.ERROR).isNull()).count() - records.filter(col(RecordSchema.ERROR).isNull()).count() : 0;
    FlattenResult r = new FlattenResult(
        n.getLong(0), n.isNullAt(1) ? 0 : n.getLong(1), n.isNullAt(2) ? 0 : n.getLong(2), n.getLong(3),
        errorsWritten, malformed, newLosers, outside, fileCount);
    LOG.info("flatten: wrote {} ({} partitions touched, {} lake sessions replaced)", r.rowsPerTable(), affected.size(), replacedOld);
    return r;
  }

  /**
   * Writes {@code fresh} into the table: each affected partition is rewritten as its old rows
   * (minus {@code replaced} sessions) plus the fresh rows; an affected partition that ends up
   * with no rows is deleted.
   */
  private static void mergeInto(
      SparkSession spark, Table t, Dataset<Row> fresh, String lakeDir, List<String> affected, Dataset<Row> replaced) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String dir = t.dir(lakeDir);
    Map<String, Set<String>> before = new LinkedHashMap<>();
    for (String dt : affected) {
      String p = LakePaths.partition(dir, dt);
      Set<String> listing = listing(hadoop, p);
      if (listing != null) {
        before.put(p, listing);
      }
    }
    Dataset<Row> out = fresh;
    if (!before.isEmpty()) {
      Dataset<Row> old =
          spark.read().schema(t.schema()).option("basePath", dir).parquet(before.keySet().toArray(String[]::new));
      if (replaced != null) {
        old = old.join(replaced, scalaSeq(CHANNEL_ARN, STREAM_ID), "left_anti");
      }
      out = fresh.unionByName(old.select(columns(t.schema(), "")));
    }
    spark.sparkContext().setJobDescription("flatten: write " + t.dirName());
    long started = System.nanoTime();
    out.write().mode(SaveMode.Overwrite).partitionBy(Schemas.DT).parquet(dir);
    LOG.info("flatten: wrote {} in {} ms", t.dirName(), (System.nanoTime() - started) / 1_000_000);
    for (Map.Entry<String, Set<String>> e : before.entrySet()) {
      if (e.getValue().equals(listing(hadoop, e.getKey()))) {
        // Not rewritten: every session it held was replaced by one in another partition.
        delete(hadoop, e.getKey());
        LOG.info("flatten: removed emptied partition {}", e.getKey());
      }
    }
  }

  /** Appends malformed-input rows to fetch_errors, skipping rows identical to ones already there. */
  private static long appendErrors(SparkSession spark, Dataset<Row> errors, String lakeDir, LocalDate runDate) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String dir = Table.FETCH_ERRORS.dir(lakeDir);
    String partition = LakePaths.partition(dir, runDate);
    Dataset<Row> fresh = errors.dropDuplicates();
    if (exists(hadoop, partition)) {
      Dataset<Row> old = spark.read().schema(Schemas.FETCH_ERRORS).option("basePath", dir).parquet(partition);
      Column same = lit(true);
      for (StructField f : Schemas.FETCH_ERRORS.fields()) {
        same = same.and(fresh.col(f.name()).eqNullSafe(old.col(f.name())));
      }
      fresh = fresh.join(old, same, "left_anti");
    }
    fresh = fresh.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = fresh.count();
      if (n > 0) {
        spark.sparkContext().setJobDescription("flatten: append fetch_errors");
        fresh.write().mode(SaveMode.Append).partitionBy(Schemas.DT).parquet(dir);
      }
      return n;
    } finally {
      fresh.unpersist(false);
    }
  }

  private static boolean exists(Configuration conf, String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  /** File names in a directory, or null when it does not exist. */
  private static Set<String> listing(Configuration conf, String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return null;
      }
      return Arrays.stream(fs.listStatus(p)).map(FileStatus::getPath).map(Path::getName)
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void delete(Configuration conf, String dir) {
    try {
      Path p = new Path(dir);
      p.getFileSystem(conf).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toSeq();
  }

  private FlattenStage() {}
}
